import { allstreamPolicy } from '@consentkit/test-support/policy';
import { expect } from 'chai';
import { CompactSign, calculateJwkThumbprint, compactVerify, exportJWK, generateKeyPair, importJWK } from 'jose';
import { canonicalize } from './canonical-json.js';
import { base64urlDecode, base64urlEncode, utf8Decode, utf8Encode } from './encoding.js';
import { ConsentError } from './errors.js';
import { sha256Hex } from './hash.js';
import { createKeySigner, type Signer, signJws } from './jws.js';
import { generateSigningKeyPair, type SigningAlgorithm, supportsEd25519 } from './keys.js';
import { policyDigest } from './policy-ref.js';
import {
  type ConsentRecord,
  type CreateRecordInput,
  createRecord,
  RECORD_SCHEMA,
  recordDigest,
  signRecord,
  verifyRecord,
} from './record.js';
import { uuidv7Time } from './uuid.js';

const NOW = new Date('2026-11-02T10:00:00.123Z');
// Ed25519 is feature-detected (R65); EdDSA tests skip where WebCrypto lacks it.
const HAS_ED25519 = await supportsEd25519();

function input(overrides: Partial<CreateRecordInput> = {}): CreateRecordInput {
  return {
    subject: { kind: 'commitment', commitment: 'a'.repeat(64) },
    policy: allstreamPolicy,
    decisions: [
      { purpose: 'application-processing', granted: true, basis: 'implied' },
      { purpose: 'marketing', granted: true, basis: 'opt-out' },
      { purpose: 'partner-sharing', granted: true, basis: 'express', wording: { sha256: 'b'.repeat(64) } },
    ],
    method: 'form-submit',
    interaction: 'pointer',
    collectionPoint: { url: 'https://allstream.example/apply', form: 'application' },
    locale: 'en-CA',
    jurisdiction: 'CA',
    now: NOW,
    ...overrides,
  };
}

async function refusal(value: CreateRecordInput): Promise<ConsentError> {
  try {
    await createRecord(value);
  } catch (error) {
    expect(error).to.be.instanceOf(ConsentError);
    return error as ConsentError;
  }
  throw new Error('expected createRecord to refuse');
}

async function signer(algorithm: SigningAlgorithm = 'ES256'): Promise<Signer> {
  const pair = await generateSigningKeyPair({ algorithm });
  return createKeySigner({ privateKey: pair.privateKey, publicJwk: pair.publicJwk });
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  try {
    await promise;
  } catch (error) {
    expect((error as ConsentError).code).to.equal(code);
    return;
  }
  throw new Error(`expected ${code}`);
}

describe('createRecord', () => {
  it('fills schema, UUIDv7 id, issuedAt, the policy reference, gpc and prev', async () => {
    const record = await createRecord(input());
    expect(record.schema).to.equal(RECORD_SCHEMA);
    expect(record.id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidv7Time(record.id)).to.equal(NOW.getTime());
    expect(record.issuedAt).to.equal('2026-11-02T10:00:00.123Z');
    expect(record.policy).to.deep.equal({
      id: 'allstream',
      version: '1.1',
      digest: await policyDigest(allstreamPolicy),
    });
    expect(record.gpc).to.equal(null);
    expect(record.prev).to.equal(null);
    expect(record).to.not.have.property('context');
  });

  it('takes the policy digest its caller computed once (not hashing the policy again), and still applies the policy (R37)', async () => {
    // The caller vouches for it: a digest that is not the policy's shows it is not recomputed.
    const given = 'd'.repeat(64);
    const record = await createRecord(input({ policyDigest: given }));
    expect(record.policy).to.deep.equal({ id: 'allstream', version: '1.1', digest: given });
    expect(record.decisions.map((d) => d.legalBasis)).to.deep.equal(['implied-consent', 'casl-implied-ebr', 'consent']);
  });

  it('gives each record its own id', async () => {
    const a = await createRecord(input());
    const b = await createRecord(input());
    expect(a.id).to.not.equal(b.id);
  });

  it('links to the previous record by digest and keeps the GPC signal as seen', async () => {
    const first = await createRecord(input());
    const second = await createRecord(input({ prev: await recordDigest(first), gpc: true }));
    expect(second.prev).to.equal(await sha256Hex(canonicalize(first)));
    expect(second.gpc).to.equal(true);
  });

  it('records the legal basis the policy gives where the person is (R37)', async () => {
    const ca = await createRecord(input());
    expect(ca.decisions.map((d) => d.legalBasis)).to.deep.equal(['implied-consent', 'casl-implied-ebr', 'consent']);
    const de = await createRecord(
      input({
        jurisdiction: 'DE',
        decisions: [
          { purpose: 'application-processing', granted: true, basis: 'implied' },
          { purpose: 'relationship-management', granted: true, basis: 'opt-out' },
        ],
      }),
    );
    expect(de.decisions.map((d) => d.legalBasis)).to.deep.equal(['contract', 'legitimate-interest']);
  });

  it('does not modify its input', async () => {
    const value = input();
    const before = structuredClone({ ...value, policy: undefined });
    await createRecord(value);
    expect({ ...value, policy: undefined }).to.deep.equal(before);
  });

  it('accepts a policy reference instead of the policy', async () => {
    const ref = { id: 'allstream', version: '1.1', digest: 'c'.repeat(64) };
    const record = await createRecord(input({ policy: ref }));
    expect(record.policy).to.deep.equal(ref);
    expect(record.decisions[0]).to.not.have.property('legalBasis');
  });

  it('refuses an express grant from a pre-ticked box (R16, R21, R23, B1)', async () => {
    const error = await refusal(
      input({ decisions: [{ purpose: 'partner-sharing', granted: true, basis: 'express', preChecked: true }] }),
    );
    expect(error.code).to.equal('rule-violation');
    expect(error.issues[0]?.path).to.deep.equal(['decisions', 0, 'preChecked']);
    expect(error.message).to.contain('pre-ticked');
  });

  it('refuses an express grant made by script or without interaction (R16, B3)', async () => {
    const decisions = [{ purpose: 'partner-sharing', granted: true, basis: 'express' as const }];
    expect((await refusal(input({ interaction: 'programmatic', decisions }))).code).to.equal('rule-violation');
    expect((await refusal(input({ interaction: 'none', decisions }))).code).to.equal('rule-violation');
    const oneBox = [{ ...decisions[0], interaction: 'programmatic' as const }] as CreateRecordInput['decisions'];
    expect((await refusal(input({ interaction: 'pointer', decisions: oneBox }))).code).to.equal('rule-violation');
  });

  it('still records a refusal from a pre-ticked or scripted express box', async () => {
    const record = await createRecord(
      input({
        interaction: 'programmatic',
        decisions: [{ purpose: 'partner-sharing', granted: false, basis: 'express', preChecked: true }],
      }),
    );
    expect(record.decisions[0]?.granted).to.equal(false);
  });

  it('refuses, in a GDPR jurisdiction, an opt-out or pre-ticked choice claiming consent (R37, B4)', async () => {
    const optOutConsent = [
      { purpose: 'marketing', granted: true, basis: 'opt-out' as const, legalBasis: 'consent' as const },
    ];
    for (const jurisdiction of ['DE', 'GB', 'NO']) {
      const error = await refusal(input({ jurisdiction, decisions: optOutConsent }));
      expect(error.code, jurisdiction).to.equal('rule-violation');
      expect(error.issues[0]?.path).to.deep.equal(['decisions', 0, 'legalBasis']);
    }
    // Outside GDPR the choice is recorded (PIPEDA allows opt-out consent, R31 4.3.7).
    expect((await createRecord(input({ jurisdiction: 'CA', decisions: optOutConsent }))).decisions).to.have.length(1);
    // An opt-out (granted: false) is always recordable.
    const optedOut = [{ ...optOutConsent[0], granted: false }] as CreateRecordInput['decisions'];
    expect((await createRecord(input({ jurisdiction: 'DE', decisions: optedOut }))).decisions[0]?.granted).to.equal(
      false,
    );
  });

  it('refuses a GDPR soft opt-in without the sale it comes from, and accepts it with one (R29, B4)', async () => {
    const decisions = [{ purpose: 'marketing', granted: true, basis: 'opt-out' as const }];
    const error = await refusal(input({ jurisdiction: 'GB', decisions }));
    expect(error.code).to.equal('rule-violation');
    expect(error.message).to.contain('saleRef');
    const record = await createRecord(input({ jurisdiction: 'GB', decisions, context: { saleRef: 'application-42' } }));
    expect(record.decisions[0]?.legalBasis).to.equal('soft-opt-in');
    expect(record.context).to.deep.equal({ saleRef: 'application-42' });
  });

  it('refuses a purpose the policy does not have, and the same purpose twice', async () => {
    const unknown = await refusal(input({ decisions: [{ purpose: 'ghost', granted: true, basis: 'opt-out' }] }));
    expect(unknown.code).to.equal('unknown-purpose');
    // The one-line reason names the purpose and the ids the policy has, so the fix is in the message.
    expect(unknown.reason).to.match(
      /^purpose "ghost" is not in policy allstream@[\d.]+ \(application-processing, marketing, .*credit-check\)\. Use one of those ids/,
    );
    const twice = await refusal(
      input({
        decisions: [
          { purpose: 'marketing', granted: true, basis: 'opt-out' },
          { purpose: 'marketing', granted: false, basis: 'opt-out' },
        ],
      }),
    );
    expect(twice.code).to.equal('rule-violation');
  });
});

describe('signRecord / verifyRecord', () => {
  const algorithms: SigningAlgorithm[] = ['ES256', 'EdDSA'];
  for (const algorithm of algorithms) {
    const test = algorithm === 'EdDSA' && !HAS_ED25519 ? it.skip : it;
    test(`round-trips with ${algorithm}; header { alg, kid, jwk, typ }, digest of the JCS bytes`, async () => {
      const s = await signer(algorithm);
      const record = await createRecord(input());
      const signed = await signRecord({ record, signer: s });
      expect(signed.record).to.equal(record);
      expect(signed.digest).to.equal(await recordDigest(record));
      const [h, p] = signed.jws.split('.') as [string, string];
      expect(utf8Decode(base64urlDecode(p))).to.equal(canonicalize(record));
      const header = JSON.parse(utf8Decode(base64urlDecode(h))) as Record<string, unknown>;
      expect(header).to.deep.equal({ alg: algorithm, kid: s.kid, jwk: s.publicJwk, typ: 'consent-record+jws' });

      const verified = await verifyRecord(signed.jws);
      expect(verified.record).to.deep.equal(record);
      expect(verified.digest).to.equal(signed.digest);
      expect(verified.header.kid).to.equal(s.kid);
    });
  }

  it('a signed record verifies with jose using the key in its own header (R68, R7)', async () => {
    const signed = await signRecord({ record: await createRecord(input()), signer: await signer('ES256') });
    const { protectedHeader, payload } = await compactVerify(
      signed.jws,
      async (header) => importJWK({ ...(header.jwk as object) }, 'ES256'),
      {
        algorithms: ['ES256'],
      },
    );
    expect(protectedHeader.typ).to.equal('consent-record+jws');
    expect(protectedHeader.kid).to.equal(await calculateJwkThumbprint({ ...(protectedHeader.jwk as object) }));
    expect(JSON.parse(utf8Decode(payload))).to.deep.equal(signed.record);
  });

  it('a record signed by jose verifies with verifyRecord', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(jwk);
    const record = await createRecord(input());
    const jws = await new CompactSign(utf8Encode(canonicalize(record)))
      .setProtectedHeader({ alg: 'ES256', kid, jwk, typ: 'consent-record+jws' })
      .sign(privateKey);
    const verified = await verifyRecord(jws);
    expect(verified.record).to.deep.equal(record);
    expect(verified.digest).to.equal(await recordDigest(record));
  });

  it('fails on a changed payload (R68)', async () => {
    const signed = await signRecord({ record: await createRecord(input()), signer: await signer() });
    const [h, , sig] = signed.jws.split('.') as [string, string, string];
    const changed = canonicalize({ ...signed.record, locale: 'fr-CA' });
    await expectCode(verifyRecord(`${h}.${base64urlEncode(utf8Encode(changed))}.${sig}`), 'invalid-signature');
  });

  it('fails when the header key is swapped for another (kid is not its thumbprint)', async () => {
    const signed = await signRecord({ record: await createRecord(input()), signer: await signer() });
    const other = await signer();
    const [h, p, sig] = signed.jws.split('.') as [string, string, string];
    const header = JSON.parse(utf8Decode(base64urlDecode(h))) as Record<string, unknown>;
    const swapped = base64urlEncode(utf8Encode(JSON.stringify({ ...header, jwk: other.publicJwk })));
    await expectCode(verifyRecord(`${swapped}.${p}.${sig}`), 'invalid-signature');
  });

  it('fails for a record signed by another key that claims to be the first (re-signed with the old kid and jwk)', async () => {
    const s = await signer();
    const attacker = await signer();
    const record = await createRecord(input());
    const forged = await signJws({
      payload: canonicalize(record),
      signer: { ...attacker, kid: s.kid, publicJwk: s.publicJwk },
      header: { typ: 'consent-record+jws', jwk: s.publicJwk },
    });
    await expectCode(verifyRecord(forged), 'invalid-signature');
  });

  it('pins algorithms', async () => {
    const signed = await signRecord({ record: await createRecord(input()), signer: await signer('ES256') });
    await expectCode(verifyRecord(signed.jws, { algorithms: ['EdDSA'] }), 'unsupported-algorithm');
  });

  it('rejects a non-canonical payload and a wrong typ', async () => {
    const s = await signer();
    const record = await createRecord(input());
    const pretty = await signJws({
      payload: JSON.stringify(record, null, 2),
      signer: s,
      header: { typ: 'consent-record+jws', jwk: s.publicJwk },
    });
    await expectCode(verifyRecord(pretty), 'invalid-record');
    const wrongTyp = await signJws({
      payload: canonicalize(record),
      signer: s,
      header: { typ: 'JWT', jwk: s.publicJwk },
    });
    await expectCode(verifyRecord(wrongTyp), 'invalid-record');
  });

  it('refuses a jwk header that carries private key members, however validly signed (R68)', async () => {
    const pair = await generateSigningKeyPair({ algorithm: 'ES256', extractable: true });
    const s = await createKeySigner({ privateKey: pair.privateKey, publicJwk: pair.publicJwk });
    const privateJwk = (await crypto.subtle.exportKey('jwk', pair.privateKey)) as Record<string, unknown>;
    expect(privateJwk.d).to.be.a('string');
    const record = await createRecord(input());
    // The kid is still the thumbprint (the required members are the public ones), and the
    // signature is valid: only the leaked `d` is wrong, and that alone refuses the record.
    const leaky = await signJws({
      payload: canonicalize(record),
      signer: s,
      header: { typ: 'consent-record+jws', jwk: { ...pair.publicJwk, d: privateJwk.d } },
    });
    await expectCode(verifyRecord(leaky), 'invalid-key');
    const clean = await signJws({
      payload: canonicalize(record),
      signer: s,
      header: { typ: 'consent-record+jws', jwk: pair.publicJwk },
    });
    expect((await verifyRecord(clean)).record).to.deep.equal(record);
  });

  it('rejects a signed payload of another schema', async () => {
    const s = await signer();
    const record = { ...(await createRecord(input())), schema: 'other@1' } as unknown as ConsentRecord;
    const signed = await signRecord({ record, signer: s });
    await expectCode(verifyRecord(signed.jws), 'invalid-record');
  });
});
