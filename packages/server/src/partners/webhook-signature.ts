/**
 * Partner webhook signatures, in the scheme payment providers use so partners can reuse their code:
 *
 *   ConsentKit-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>
 *
 * The timestamp is inside the MAC, so a captured request cannot be replayed outside the window.
 * During a secret rotation the sender signs with every live secret (several `v1=`), and the
 * receiver accepts any one that matches any of its secrets.
 */

import { createHmac, timingSafeEqual } from 'node:crypto';
import { ConsentError } from '@consentkit/core';

export const SIGNATURE_HEADER = 'ConsentKit-Signature';
/** Five minutes either way: long enough for clock skew and queueing, short enough to stop replays. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export type WebhookBody = string | Uint8Array;

export type SignWebhookOptions = {
  /** One secret, or every live secret during a rotation (newest first). */
  secret: string | readonly string[];
  /** The exact bytes that will be sent: sign after serialising, never re-serialise. */
  body: WebhookBody;
  /** Unix seconds; defaults to now. */
  timestamp?: number;
};

function toBuffer(body: WebhookBody): Buffer {
  return typeof body === 'string'
    ? Buffer.from(body, 'utf8')
    : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

function secretsOf(secret: string | readonly string[]): readonly string[] {
  const list = typeof secret === 'string' ? [secret] : secret;
  if (list.length === 0 || list.some((s) => s.length === 0)) {
    throw new ConsentError('invalid-options', 'webhook secret must be a non-empty string');
  }
  return list;
}

/** hex HMAC-SHA256(secret, `${timestamp}.` ‖ body). */
export function computeSignature(secret: string, timestamp: number, body: WebhookBody): string {
  return createHmac('sha256', secret).update(`${timestamp}.`, 'utf8').update(toBuffer(body)).digest('hex');
}

/** The header value for `body`. */
export function signWebhook(options: SignWebhookOptions): string {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  if (!Number.isSafeInteger(timestamp) || timestamp < 0)
    throw new ConsentError('invalid-options', 'timestamp must be Unix seconds');
  const signatures = secretsOf(options.secret).map((s) => `v1=${computeSignature(s, timestamp, options.body)}`);
  return [`t=${timestamp}`, ...signatures].join(',');
}

export type ParsedSignatureHeader = { timestamp: number; signatures: string[] };

/**
 * Parses `t=…,v1=…[,v1=…]`. Unknown schemes (`v0=`, a future `v2=`) are skipped, as the payment
 * providers do, so the scheme can evolve; a header without a timestamp or any v1 is malformed.
 */
export function parseSignatureHeader(header: string): ParsedSignatureHeader | undefined {
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return undefined;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (timestamp !== undefined || !/^\d{1,15}$/.test(value)) return undefined;
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!/^[0-9a-f]{64}$/.test(value)) return undefined;
      signatures.push(value);
    }
  }
  if (timestamp === undefined || signatures.length === 0) return undefined;
  return { timestamp, signatures };
}

export type VerifyWebhookOptions = {
  /** The header value as received (`null` / `undefined` when absent). */
  header: string | null | undefined;
  /** The raw body bytes as received, before any JSON parsing. */
  body: WebhookBody;
  /** The partner's secret, or every live secret during a rotation. */
  secret: string | readonly string[];
  toleranceSeconds?: number;
  /** Unix seconds; for tests. */
  now?: number;
};

export type WebhookVerificationFailure = 'missing-header' | 'malformed-header' | 'outside-window' | 'no-match';

export type WebhookVerification =
  | { ok: true; timestamp: number }
  | { ok: false; reason: WebhookVerificationFailure; message: string };

/**
 * Verifies a signed webhook. Every candidate is compared with `timingSafeEqual`, and every
 * (secret, signature) pair is tried before answering, so timing says nothing about which part
 * of which signature matched.
 */
export function verifyWebhookSignature(options: VerifyWebhookOptions): WebhookVerification {
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (options.header === null || options.header === undefined || options.header === '') {
    return { ok: false, reason: 'missing-header', message: `the ${SIGNATURE_HEADER} header is missing` };
  }
  const parsed = parseSignatureHeader(options.header);
  if (!parsed) {
    return {
      ok: false,
      reason: 'malformed-header',
      message: `the ${SIGNATURE_HEADER} header is not "t=<unix seconds>,v1=<64 hex digits>"`,
    };
  }
  const now = options.now ?? Math.floor(Date.now() / 1000);
  // Both directions: a timestamp from the future is as suspicious as one from the past.
  if (Math.abs(now - parsed.timestamp) > tolerance) {
    return {
      ok: false,
      reason: 'outside-window',
      message: `the signature timestamp is ${now - parsed.timestamp} s from now, outside the ±${tolerance} s window`,
    };
  }
  let matched = false;
  for (const secret of secretsOf(options.secret)) {
    const expected = Buffer.from(computeSignature(secret, parsed.timestamp, options.body), 'hex');
    for (const signature of parsed.signatures) {
      // Both are 32 bytes (the parser only admits 64 hex digits), as timingSafeEqual requires.
      if (timingSafeEqual(expected, Buffer.from(signature, 'hex'))) matched = true;
    }
  }
  if (!matched) {
    return { ok: false, reason: 'no-match', message: 'no signature matches the body with the shared secret' };
  }
  return { ok: true, timestamp: parsed.timestamp };
}
