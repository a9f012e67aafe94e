/**
 * Property-based fuzzing of the unsubscribe-token parser (bad input gets a clear error; R36, R42): whatever
 * arrives in a /u/{token} or /p/{token} URL, `verify` either returns the claims of a token this
 * codec issued or rejects with a ConsentError `invalid-token` / `token-expired` — never another
 * exception type (a TypeError or RangeError would become a 500 on the hosted pages), and never
 * accepts a token that differs from an issued one in any character.
 */

import { fuzzRuns } from '@consentkit/test-support/fuzz';
import { expect } from 'chai';
import fc from 'fast-check';
import { base64urlEncode, concatBytes, utf8Encode } from './encoding.js';
import { ConsentError } from './errors.js';
import { createTokenCodec, type TokenClaims, type TokenCodec } from './unsubscribe-token.js';

const RUNS = fuzzRuns();
const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const DAY = 86_400_000;
const key = (seed: number) => Uint8Array.from({ length: 32 }, (_, i) => (i * 13 + seed) & 0xff);
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

type Outcome = { ok: true; claims: TokenClaims } | { ok: false; error: unknown };

async function outcome(codec: TokenCodec, token: unknown, scope?: string): Promise<Outcome> {
  try {
    // Callers pass whatever the URL held; the cast lets non-strings through on purpose.
    const claims = await codec.verify(token as string, scope === undefined ? {} : { scope });
    return { ok: true, claims };
  } catch (error) {
    return { ok: false, error };
  }
}

/** The only acceptable failure: a ConsentError with one of the two token codes. */
function expectTokenRejection(result: Outcome, allowed: readonly string[], label: string): void {
  if (result.ok) expect.fail(`${label}: accepted ${JSON.stringify(result.claims)}`);
  expect(result.error, label).to.be.instanceOf(ConsentError);
  expect(allowed, label).to.include((result.error as ConsentError).code);
}

// Subjects and scopes the issuer accepts: opaque ids (never an email), UTF-8 within the limits.
const subjectArb = fc.oneof(
  fc.uuid({ version: 7 }),
  fc.string({ minLength: 1, maxLength: 60, unit: 'binary' }).filter((s) => !s.includes('@')),
);
const scopeArb = fc.oneof(
  fc.constantFrom('preferences', 'unsubscribe:*', 'unsubscribe:marketing'),
  fc.string({ minLength: 1, maxLength: 40, unit: 'binary' }),
);

/** One edit of a token string; `apply` may give back the same string (filtered by the caller). */
const mutationArb = fc.oneof(
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), ch: fc.constantFrom(...B64URL) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), ch: fc.constantFrom(...B64URL, '=', '.', ' ', '%') }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('swap' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('append' as const), text: fc.string({ minLength: 1, maxLength: 8 }) }),
  fc.record({ op: fc.constant('case' as const), at: fc.nat() }),
);
type Mutation = typeof mutationArb extends fc.Arbitrary<infer M> ? M : never;

function mutate(token: string, m: Mutation): string {
  const at = 'at' in m ? m.at % token.length : 0;
  switch (m.op) {
    case 'replace':
      return token.slice(0, at) + m.ch + token.slice(at + 1);
    case 'insert':
      return token.slice(0, at) + m.ch + token.slice(at);
    case 'delete':
      return token.slice(0, at) + token.slice(at + 1);
    case 'truncate':
      return token.slice(0, at);
    case 'swap':
      return at + 1 < token.length ? token.slice(0, at) + token[at + 1] + token[at] + token.slice(at + 2) : token;
    case 'append':
      return token + m.text;
    case 'case': {
      const c = token.charAt(at);
      const flipped = c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase();
      return token.slice(0, at) + flipped + token.slice(at + 1);
    }
  }
}

describe('fuzz: unsubscribe token parser', () => {
  let clock = T0;
  const codec = createTokenCodec({ keys: { k1: key(1), k2: key(2) }, currentKid: 'k1', now: () => clock });
  // Same key id, other secret: a forger who knows the layout but not the key.
  const forger = createTokenCodec({ keys: { k1: key(99) }, currentKid: 'k1', now: () => clock });

  beforeEach(() => {
    clock = T0;
  });

  it('round-trips every subject and scope the issuer accepts (so the rejections below are not vacuous)', async () => {
    await fc.assert(
      fc.asyncProperty(subjectArb, scopeArb, async (subject, scope) => {
        const token = await codec.issue({ subject, scope, ttlDays: 60 });
        expect(token).to.match(/^[A-Za-z0-9_-]+$/);
        const result = await outcome(codec, token, scope);
        if (!result.ok) throw result.error;
        expect(result.claims).to.include({ subject, scope, kid: 'k1' });
      }),
      { numRuns: RUNS },
    );
  });

  it('rejects arbitrary strings (any Unicode, any length) with invalid-token and nothing else', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 300, unit: 'binary' }),
          fc.string({ maxLength: 200, unit: fc.constantFrom(...B64URL) }),
          fc.string({
            maxLength: 50,
            unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
          }),
        ),
        async (text) => expectTokenRejection(await outcome(codec, text), ['invalid-token'], JSON.stringify(text)),
      ),
      { numRuns: RUNS },
    );
  });

  it('rejects values that are not strings at all with invalid-token', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.anything().filter((v) => typeof v !== 'string'),
        async (value) => expectTokenRejection(await outcome(codec, value), ['invalid-token'], typeof value),
      ),
      { numRuns: RUNS },
    );
  });

  it('rejects arbitrary bytes, and bytes shaped like a token (version, known kid) but with a guessed MAC', async () => {
    const shaped = fc
      .record({
        kid: fc.constantFrom('k1', 'k2', 'zz', ''),
        flags: fc.nat(255),
        body: fc.uint8Array({ maxLength: 80 }),
        mac: fc.uint8Array({ minLength: 0, maxLength: 40 }),
      })
      .map(({ kid, flags, body, mac }) => {
        const kidBytes = utf8Encode(kid);
        return concatBytes(new Uint8Array([0x01, flags, kidBytes.length]), kidBytes, body, mac);
      });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 200 }), shaped), async (bytes) => {
        const token = base64urlEncode(bytes);
        expectTokenRejection(await outcome(codec, token), ['invalid-token'], token);
      }),
      { numRuns: RUNS },
    );
  });

  it('never accepts a valid token altered in any character (replace, insert, delete, truncate, swap, case, append)', async () => {
    await fc.assert(
      fc.asyncProperty(
        subjectArb,
        scopeArb,
        fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
        async (subject, scope, mutations) => {
          const token = await codec.issue({ subject, scope, ttlDays: 60 });
          const altered = mutations.reduce(mutate, token);
          fc.pre(altered !== token);
          // Fresh or expired, an altered token must fail on its MAC or its form: invalid-token only.
          expectTokenRejection(await outcome(codec, altered), ['invalid-token'], `${token} → ${altered}`);
          clock = T0 + 400 * DAY;
          expectTokenRejection(await outcome(codec, altered), ['invalid-token'], `${token} → ${altered} (later)`);
          clock = T0;
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('rejects tokens of another key, another scope, and expired ones — each with its own code', async () => {
    await fc.assert(
      fc.asyncProperty(
        subjectArb,
        scopeArb,
        scopeArb,
        fc.integer({ min: 60, max: 400 }),
        async (subject, scope, otherScope, ttlDays) => {
          const forged = await forger.issue({ subject, scope, ttlDays });
          expectTokenRejection(await outcome(codec, forged), ['invalid-token'], 'other key');
          const token = await codec.issue({ subject, scope, ttlDays });
          if (otherScope !== scope) {
            expectTokenRejection(await outcome(codec, token, otherScope), ['invalid-token'], 'other scope');
          }
          clock = T0 + ttlDays * DAY;
          expectTokenRejection(await outcome(codec, token), ['token-expired'], 'expired');
          clock = T0;
        },
      ),
      { numRuns: RUNS },
    );
  });
});
