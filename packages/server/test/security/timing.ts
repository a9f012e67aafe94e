// Timing measurements for secret comparisons (comparison in constant time). Shared by
// timing.node.test.ts (a small run with a generous bound) and timing-report.ts (a long run that
// prints the figures docs/security.md quotes). Not a test file.
//
// What a measurement can and cannot show: the verify paths cost tens of microseconds (HMAC,
// SHA-256, a database lookup), while an early-exit `===` on a 32-byte secret would differ by
// nanoseconds between "wrong at byte 0" and "wrong at byte 31". The figures therefore bound any
// leak from above (no difference beyond the noise), and the structural check in the test is
// what fails if someone swaps the constant-time primitive for `===`.
import { createTokenCodec } from '@consentkit/core';
import type { Hono } from 'hono';

export type Sample = { readonly median: number; readonly p10: number; readonly p90: number };
export type Measurement = Readonly<Record<string, Sample>>;

const quantile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

/**
 * Runs every variant `iterations` times, interleaved round-robin (so drift, GC and other load
 * hit all variants alike), after a warm-up; returns per-variant quantiles in microseconds.
 */
export async function measure(
  variants: Readonly<Record<string, () => Promise<unknown>>>,
  iterations: number,
): Promise<Measurement> {
  const names = Object.keys(variants);
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < Math.min(200, iterations); i++) for (const n of names) await variants[n]?.();
  for (let i = 0; i < iterations; i++) {
    // Rotate the order too, so no variant always runs first after the others.
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length] as string;
      const run = variants[name] as () => Promise<unknown>;
      const start = process.hrtime.bigint();
      await run();
      times[name]?.push(Number(process.hrtime.bigint() - start) / 1000);
    }
  }
  return Object.fromEntries(
    names.map((n) => {
      const sorted = [...(times[n] ?? [])].sort((a, b) => a - b);
      return [n, { median: quantile(sorted, 0.5), p10: quantile(sorted, 0.1), p90: quantile(sorted, 0.9) }];
    }),
  );
}

/** Flips one bit of the byte at `index` of a base64url token's decoded bytes (negative: from the end). */
export function alterByte(token: string, index: number): string {
  const bytes = Buffer.from(token, 'base64url');
  const at = index < 0 ? bytes.length + index : index;
  bytes[at] = (bytes[at] ?? 0) ^ 0x01;
  return bytes.toString('base64url');
}

const MAC_BYTES = 32;

/** Unsubscribe-token verification (core's codec: HMAC-SHA256 checked by crypto.subtle.verify). */
export async function measureTokenVerify(iterations: number): Promise<Measurement> {
  const codec = createTokenCodec({ keys: { k1: new Uint8Array(32).fill(9) }, currentKid: 'k1' });
  const valid = await codec.issue({ subject: '0190f0f0-0000-7000-8000-000000000001', scope: 'unsubscribe:marketing' });
  const swallow = (p: Promise<unknown>) => p.catch(() => undefined);
  return measure(
    {
      valid: () => codec.verify(valid),
      'MAC wrong at its first byte': () => swallow(codec.verify(alterByte(valid, -MAC_BYTES))),
      'MAC wrong at its last byte': () => swallow(codec.verify(alterByte(valid, -1))),
    },
    iterations,
  );
}

/**
 * API keys through the real app (`authenticate`: timingSafeEqual on SHA-256 digests for the
 * configured key, a lookup by SHA-256 for stored keys). `app` must have `adminKey` configured.
 */
export async function measureApiKey(app: Hono, adminKey: string, iterations: number): Promise<Measurement> {
  const call = async (key: string) =>
    app.request('/v1/subjects/nobody%40example.com/state', { headers: { authorization: `Bearer ${key}` } });
  const flip = (at: number) => {
    const i = at < 0 ? adminKey.length + at : at;
    return `${adminKey.slice(0, i)}${adminKey[i] === 'x' ? 'y' : 'x'}${adminKey.slice(i + 1)}`;
  };
  const first = flip(0);
  const last = flip(-1);
  return measure(
    {
      valid: () => call(adminKey),
      'wrong at its first character': () => call(first),
      'wrong at its last character': () => call(last),
    },
    iterations,
  );
}

/** The hosted unsubscribe page for forged tokens through the real app (the uniform 404, R42). */
export async function measureHostedToken(app: Hono, validToken: string, iterations: number): Promise<Measurement> {
  const get = async (token: string) => (await app.request(`/u/${token}`)).arrayBuffer();
  return measure(
    {
      'MAC wrong at its first byte': () => get(alterByte(validToken, -MAC_BYTES)),
      'MAC wrong at its last byte': () => get(alterByte(validToken, -1)),
      'random bytes': () => get(Buffer.from(crypto.getRandomValues(new Uint8Array(60))).toString('base64url')),
    },
    iterations,
  );
}

/** `a / b` of the medians. */
export const ratio = (m: Measurement, a: string, b: string) =>
  (m[a]?.median ?? Number.NaN) / (m[b]?.median ?? Number.NaN);

export function formatMeasurement(title: string, m: Measurement): string {
  const rows = Object.entries(m).map(
    ([name, s]) => `| ${name} | ${s.median.toFixed(1)} | ${s.p10.toFixed(1)} | ${s.p90.toFixed(1)} |`,
  );
  return [`${title}`, '| variant | median µs | p10 µs | p90 µs |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
