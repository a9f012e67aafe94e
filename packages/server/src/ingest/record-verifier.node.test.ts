import {
  base64urlEncode,
  canonicalize,
  createKeySigner,
  createRecord,
  generateSigningKeyPair,
  type Policy,
  type PublicJwk,
  type Signer,
  utf8Encode,
  verifyRecord,
} from '@consentkit/core';
import { testPolicy } from '@consentkit/test-support/policy';
import { expect } from 'chai';
import fc from 'fast-check';
import { createKeyCache, fastPathOnly, verifyRecordFast } from './record-verifier.js';

// The ingest verifier is a fast twin of core's verifyRecord (DESIGN.md "One strict decoder"): it
// must accept exactly what core accepts, with the same record, header and digest, and refuse
// everything else with core's error. A differential test over ≥ 10,000 generated JWS, each validly
// signed over whatever text it carries, so that only the decoding decides.

const RUNS = Math.max(10_000, Number(process.env.CONSENTKIT_FUZZ_RUNS) || 0);

type Key = { readonly signer: Signer; readonly privateD: string; readonly other: PublicJwk };
type Outcome =
  | { ok: true; record: unknown; header: unknown; digest: string }
  | { ok: false; code: string; message: string };

const settle = (promise: Promise<{ record: unknown; header: unknown; digest: string }>): Promise<Outcome> =>
  promise.then(
    (v) => ({ ok: true, record: v.record, header: v.header, digest: v.digest }),
    (error: { code?: string; message?: string }) => ({
      ok: false,
      code: String(error.code),
      message: String(error.message),
    }),
  );

async function makeKey(algorithm: 'ES256' | 'EdDSA'): Promise<Key> {
  const pair = await generateSigningKeyPair({ algorithm, extractable: true });
  const other = await generateSigningKeyPair({ algorithm });
  const privateJwk = (await crypto.subtle.exportKey('jwk', pair.privateKey)) as { d: string };
  return {
    signer: await createKeySigner({ privateKey: pair.privateKey, publicJwk: pair.publicJwk }),
    privateD: privateJwk.d,
    other: other.publicJwk,
  };
}

const b64 = (bytes: Uint8Array) => base64urlEncode(bytes);
const text = (value: string) => utf8Encode(value);
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The same bytes' base64url with a non-zero bit after the last whole byte, when there is room. */
function withTrailingBits(encoded: string): string {
  if (encoded.length % 4 === 0) return encoded; // whole bytes: no spare bits to set
  const last = ALPHABET.indexOf(encoded.charAt(encoded.length - 1));
  return encoded.slice(0, -1) + ALPHABET.charAt(last | 1);
}

/** Private JWK members other than `d` (RFC 7518 §6.3.2, §6.4.1): none may reach the ledger. */
const PRIVATE_JWK_MEMBERS = ['p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** JSON with sorted members whatever the strings hold (JSON.stringify escapes lone surrogates). */
function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${sortedJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const HEADER_MUTATIONS = [
  'plain',
  'reordered',
  'whitespace',
  'duplicate-alg-none',
  'duplicate-typ',
  'crit',
  'b64',
  'private-d',
  'private-member',
  'jwk-extra-members',
  'other-jwk',
  'wrong-kid',
  'no-typ',
  'other-typ',
  'alg-alias',
  'alg-mismatch',
  'alg-none',
  'alg-empty',
  'escaped-name',
  'lone-surrogate',
  'huge-number',
  'big-integer',
  'deep',
  'proto',
  'not-an-object',
  'bad-utf8',
  'extra-member',
] as const;

const PAYLOAD_MUTATIONS = [
  'canonical',
  'pretty',
  'unsorted',
  'duplicate-member',
  'lone-surrogate',
  'huge-number',
  'big-integer',
  'negative-zero',
  'extra-member',
  'deep',
  'nearly-deep',
  'proto',
  'other-schema',
  'not-json',
  'bad-utf8',
  'bom',
] as const;

const ENCODINGS = [
  'canonical',
  'header-bits',
  'payload-bits',
  'signature-bits',
  'padding',
  'bad-char',
  'parts',
] as const;
const SIGNATURES = ['valid', 'flipped', 'short', 'empty'] as const;

type Case = {
  key: number;
  record: number;
  header: (typeof HEADER_MUTATIONS)[number];
  payload: (typeof PAYLOAD_MUTATIONS)[number];
  encoding: (typeof ENCODINGS)[number];
  signature: (typeof SIGNATURES)[number];
  value: unknown;
  shuffle: number;
};

/** Biased towards valid parts, so accepted records are common and every fault also appears alone. */
const pick = <T extends string>(values: readonly T[]) =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(values[0] as T) }, { weight: 2, arbitrary: fc.constantFrom(...values) });

const anyString = fc.string({
  unit: fc.oneof(
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
  ),
  maxLength: 6,
});
const anyJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    anyString,
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(anyString, tie('value'), { maxKeys: 3 }),
  ),
})).value;

const caseArbitrary: fc.Arbitrary<Case> = fc.record({
  key: fc.nat(3),
  record: fc.nat(2),
  header: pick(HEADER_MUTATIONS),
  payload: pick(PAYLOAD_MUTATIONS),
  encoding: pick(ENCODINGS),
  signature: pick(SIGNATURES),
  value: anyJson,
  shuffle: fc.nat(),
});

function headerText(c: Case, key: Key): string {
  const s = key.signer;
  const base: Record<string, unknown> = { alg: s.algorithm, kid: s.kid, typ: 'consent-record+jws', jwk: s.publicJwk };
  const json = (value: Record<string, unknown>) => JSON.stringify(value);
  const [, ...rest] = json(base)
    .slice(1, -1)
    .split(/,(?="(?:kid|typ|jwk)")/);
  switch (c.header) {
    case 'plain':
      return json(base);
    case 'reordered': {
      const keys = Object.keys(base);
      const k = keys.splice(c.shuffle % keys.length, 1);
      return json(Object.fromEntries([...keys, ...k].map((name) => [name, base[name]])));
    }
    case 'whitespace':
      return JSON.stringify(base, null, 1);
    case 'duplicate-alg-none':
      return `{"alg":"none",${json(base).slice(1)}`;
    case 'duplicate-typ':
      return `${json(base).slice(0, -1)},"typ":"consent-record+jws"}`;
    case 'crit':
      return json({ ...base, crit: ['exp'] });
    case 'b64':
      return json({ ...base, b64: false });
    case 'private-d':
      return json({ ...base, jwk: { ...s.publicJwk, d: key.privateD } });
    case 'private-member': {
      // The other private (RSA, multi-prime, symmetric) members a JWK can carry, one at a time.
      const member = PRIVATE_JWK_MEMBERS[c.shuffle % PRIVATE_JWK_MEMBERS.length] as string;
      return json({ ...base, jwk: { ...s.publicJwk, [member]: key.privateD } });
    }
    case 'jwk-extra-members':
      return json({ ...base, jwk: { ...s.publicJwk, kid: s.kid, use: 'sig', alg: s.algorithm } });
    case 'other-jwk':
      return json({ ...base, jwk: key.other });
    case 'wrong-kid':
      return json({ ...base, kid: `${s.kid.slice(0, -2)}AA` });
    case 'no-typ':
      return json({ alg: s.algorithm, kid: s.kid, jwk: s.publicJwk });
    case 'other-typ':
      return json({ ...base, typ: 'JWT' });
    case 'alg-alias':
      return json({ ...base, alg: s.algorithm === 'EdDSA' ? 'Ed25519' : 'ES256' });
    case 'alg-mismatch':
      return json({ ...base, alg: s.algorithm === 'EdDSA' ? 'ES256' : 'EdDSA' });
    case 'alg-none':
      return json({ ...base, alg: 'none' });
    case 'alg-empty':
      return json({ ...base, alg: '' });
    case 'escaped-name':
      return `{"\\u0061lg":${JSON.stringify(s.algorithm)},${rest.join(',')}}`;
    case 'lone-surrogate':
      return `${json(base).slice(0, -1)},"x":"\\ud800"}`;
    case 'huge-number':
      return `${json(base).slice(0, -1)},"x":1e400}`;
    case 'big-integer':
      return `${json(base).slice(0, -1)},"x":12345678901234567890}`;
    case 'deep':
      return `${json(base).slice(0, -1)},"x":${nested(600)}}`;
    case 'proto':
      return `${json(base).slice(0, -1)},"__proto__":{"alg":"none"}}`;
    case 'not-an-object':
      return ['[]', 'null', '"x"', '1'][c.shuffle % 4] as string;
    case 'bad-utf8':
      return json(base); // bytes broken in headerBytes
    case 'extra-member':
      return sortedJson({ ...base, x: c.value });
  }
}

function headerBytes(c: Case, key: Key): Uint8Array {
  const bytes = text(headerText(c, key));
  if (c.header !== 'bad-utf8') return bytes;
  const at = 9 + (c.shuffle % 8);
  return new Uint8Array([...bytes.slice(0, at), 0xff, ...bytes.slice(at)]);
}

function payloadText(c: Case, record: Record<string, unknown>): string {
  const canonical = canonicalize(record);
  switch (c.payload) {
    case 'canonical':
      return canonical;
    case 'pretty':
      return JSON.stringify(record, null, 2);
    case 'unsorted':
      return JSON.stringify({ schema: record.schema, ...record });
    case 'duplicate-member':
      return `{"id":"x",${canonical.slice(1)}`;
    case 'lone-surrogate':
      return sortedJson({ ...record, locale: 'en\ud800' });
    case 'huge-number':
      return `${canonical.slice(0, -1)},"zz":1e400}`;
    case 'big-integer':
      return `${canonical.slice(0, -1)},"zz":12345678901234567890}`;
    case 'negative-zero':
      return `${canonical.slice(0, -1)},"zz":-0}`;
    case 'extra-member':
      return sortedJson({ ...record, zz: c.value });
    case 'deep':
      return `${canonical.slice(0, -1)},"zz":${nested(600)}}`;
    case 'nearly-deep':
      return `${canonical.slice(0, -1)},"zz":${nested(480)}}`;
    case 'proto':
      return sortedJson({ ...record, ['__proto__']: 1 });
    case 'other-schema':
      return canonicalize({ ...record, schema: 'other@1' });
    case 'not-json':
      return `${canonical} trailing`;
    case 'bad-utf8':
    case 'bom':
      return canonical;
  }
}

function payloadBytes(c: Case, record: Record<string, unknown>): Uint8Array {
  const bytes = text(payloadText(c, record));
  if (c.payload === 'bad-utf8') return new Uint8Array([...bytes.slice(0, 20), 0xc3, 0x28, ...bytes.slice(20)]);
  if (c.payload === 'bom') return new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]);
  return bytes;
}

async function buildJws(c: Case, keys: readonly Key[], records: readonly Record<string, unknown>[]): Promise<string> {
  const key = keys[c.key % keys.length] as Key;
  const record = records[c.record % records.length] as Record<string, unknown>;
  let h = b64(headerBytes(c, key));
  // Whole bytes leave no spare bits to set: grow the header by a member until its encoding has some.
  for (let n = 1; c.encoding === 'header-bits' && c.header === 'plain' && h.length % 4 === 0; n++) {
    const json = headerText(c, key);
    h = b64(text(`${json.slice(0, -1)},"n":"${'a'.repeat(n)}"}`));
  }
  let p = b64(payloadBytes(c, record));
  if (c.encoding === 'header-bits') h = withTrailingBits(h);
  if (c.encoding === 'payload-bits') p = withTrailingBits(p);
  if (c.encoding === 'padding') p = `${p}=`;
  if (c.encoding === 'bad-char') h = `${h.slice(0, 4)}+${h.slice(5)}`;
  // Signed over exactly the text it carries: a valid signature never rescues a bad encoding.
  let signature = await key.signer.sign(text(`${h}.${p}`));
  if (c.signature === 'flipped') signature = signature.map((b, i) => (i === c.shuffle % 64 ? b ^ 1 : b));
  if (c.signature === 'short') signature = signature.slice(0, 63);
  if (c.signature === 'empty') signature = new Uint8Array(0);
  let s = b64(signature);
  if (c.encoding === 'signature-bits') s = withTrailingBits(s);
  if (c.encoding === 'parts') return c.shuffle % 2 === 0 ? `${h}.${p}` : `${h}.${p}.${s}.`;
  return `${h}.${p}.${s}`;
}

describe('the ingest verifier agrees with core’s verifyRecord', () => {
  let keys: Key[] = [];
  let records: Record<string, unknown>[] = [];
  let policy: Policy;
  before(async () => {
    policy = testPolicy();
    keys = [await makeKey('EdDSA'), await makeKey('ES256'), await makeKey('EdDSA'), await makeKey('ES256')];
    const decisions = [
      [{ purpose: 'marketing', granted: true, basis: 'opt-out' as const }],
      [{ purpose: 'application-processing', granted: true, basis: 'implied' as const }],
      [{ purpose: 'marketing', granted: false, basis: 'opt-out' as const }],
    ];
    records = await Promise.all(
      decisions.map(
        async (d, i) =>
          (await createRecord({
            subject: { kind: 'device' },
            policy,
            decisions: d,
            method: 'form-submit',
            interaction: 'pointer',
            collectionPoint: { url: 'https://allstream.example/apply', form: `form-${i}` },
            locale: 'en',
            gpc: false,
            prev: null,
          })) as unknown as Record<string, unknown>,
      ),
    );
  });

  const valid = (c: Case) =>
    c.header === 'plain' && c.payload === 'canonical' && c.encoding === 'canonical' && c.signature === 'valid';

  async function compare(c: Case, cache: ReturnType<typeof createKeyCache>) {
    const jws = await buildJws(c, keys, records);
    const [core, fast, fastOnly] = await Promise.all([
      settle(verifyRecord(jws)),
      settle(verifyRecordFast(jws, cache)),
      fastPathOnly(jws, cache),
    ]);
    const label = `${JSON.stringify({ ...c, value: undefined })}\n${jws.slice(0, 200)}`;
    expect(fast, label).to.deep.equal(core);
    // Whatever the fast path accepts on its own, core accepts, with the same result.
    if (fastOnly) {
      expect(core.ok, label).to.equal(true);
      expect({ ok: true, ...fastOnly }, label).to.deep.equal(core);
    }
    return { core, decidedFast: fastOnly !== undefined };
  }

  it(`over ${RUNS.toLocaleString('en')} generated records, each validly signed over what it carries`, async () => {
    const cache = createKeyCache();
    const seen = { cases: 0, accepted: 0, valid: 0, validFast: 0 };
    await fc.assert(
      fc.asyncProperty(caseArbitrary, async (c) => {
        const { core, decidedFast } = await compare(c, cache);
        seen.cases++;
        if (core.ok) seen.accepted++;
        if (valid(c)) {
          seen.valid++;
          if (decidedFast) seen.validFast++;
        }
      }),
      { numRuns: RUNS },
    );
    console.log(`[fuzz] record verifier: ${seen.cases} cases, ${seen.accepted} accepted by both`);
    expect(seen.cases).to.be.at.least(10_000);
    // Both verdicts occur often, and the fast path really decides every ordinary record.
    expect(seen.accepted).to.be.above(seen.cases / 20);
    expect(seen.cases - seen.accepted).to.be.above(seen.cases / 20);
    expect(seen.valid).to.be.above(0);
    expect(seen.validFast).to.equal(seen.valid);
  });

  const named: Array<[string, Partial<Case>]> = [
    ['a non-canonical base64url payload (non-zero trailing bits), validly signed', { encoding: 'payload-bits' }],
    ['a non-canonical base64url header, validly signed', { encoding: 'header-bits' }],
    ['{"alg":"none","alg":"EdDSA",…}, validly signed', { header: 'duplicate-alg-none' }],
    ['a duplicate member in the payload', { payload: 'duplicate-member' }],
    ['a private key member (d) in the jwk header', { header: 'private-d' }],
    ...PRIVATE_JWK_MEMBERS.map((member, i): [string, Partial<Case>] => [
      `a private key member (${member}) in the jwk header`,
      { header: 'private-member', shuffle: i },
    ]),
    ['a crit header', { header: 'crit' }],
    ['a huge number in the header', { header: 'huge-number' }],
    ['a huge number in the payload', { payload: 'huge-number' }],
    ['a lone surrogate in the header', { header: 'lone-surrogate' }],
    ['a lone surrogate in the payload', { payload: 'lone-surrogate' }],
    ['nesting past core’s limit in the payload', { payload: 'deep' }],
  ];
  for (const [what, mutation] of named) {
    it(`refuses ${what}, as core does`, async () => {
      for (const key of [0, 1]) {
        const c: Case = {
          key,
          record: 0,
          header: 'plain',
          payload: 'canonical',
          encoding: 'canonical',
          signature: 'valid',
          value: null,
          shuffle: 0,
          ...mutation,
        };
        const { core } = await compare(c, createKeyCache());
        expect(core.ok, what).to.equal(false);
      }
    });
  }

  it('accepts what core accepts beyond the fast path’s cautious form (whitespace, escapes, big integers)', async () => {
    for (const header of ['whitespace', 'escaped-name', 'big-integer', 'reordered', 'alg-alias'] as const) {
      const c: Case = {
        key: 0,
        record: 1,
        header,
        payload: 'canonical',
        encoding: 'canonical',
        signature: 'valid',
        value: null,
        shuffle: 1,
      };
      const { core } = await compare(c, createKeyCache());
      expect(core.ok, header).to.equal(true);
    }
  });
});
