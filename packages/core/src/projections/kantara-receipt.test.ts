import { allstreamPolicy } from '@consentkit/test-support/policy';
import { express, implied, optOut, recordAt } from '@consentkit/test-support/records';
import { expect } from 'chai';
import { compactVerify, importJWK } from 'jose';
import { canonicalize } from '../canonical-json.js';
import { base64urlEncode, utf8Decode, utf8Encode } from '../encoding.js';
import { ConsentError, ConsentValidationError } from '../errors.js';
import { createKeySigner } from '../jws.js';
import { generateSigningKeyPair } from '../keys.js';
import type { Policy } from '../policy.js';
import { createRecord } from '../record.js';
import { type KantaraReceipt, toKantaraReceipt, toUnixSeconds } from './kantara-receipt.js';
import { KANTARA_RECEIPT_JWS_TYPE, signKantaraReceipt, verifyKantaraReceipt } from './kantara-sign.js';
import {
  KANTARA_REQUIRED_KEYS,
  normalizeKantaraReceipt,
  parseKantaraCategory,
  parseKantaraReceipt,
  validateKantaraReceipt,
} from './kantara-validate.js';

type Json = Record<string, unknown>;

/**
 * Kantara's own v1.1 example (CR_v1_1/kantara-consent-receipt-v1_1-example.json), retyped field by
 * field from its description: note "5 - Personalize Experience", "4 - Communications/Social",
 * consentType "N/A", and a thirdPartyName beside thirdPartyDisclosure false.
 */
function kantaraExample(): Json {
  return {
    version: 'KI-CR-v1.1.0',
    jurisdiction: 'DW',
    consentTimestamp: 1510592400,
    collectionMethod: 'Web Subscription Form with opt-in for marketing',
    consentReceiptID: 'c1befd3e-b7e5-4ea6-8688-e9a565aade21',
    publicKey: '04:a3:1d:40:53:f0:4b:f1:f9:1b:b2:3a:83:a9:d1:40:02:cc:31:b6:4a:77:bf:5e',
    language: 'en',
    piiPrincipalId: 'Bowden Jeffries',
    piiControllers: [
      {
        piiController: 'Ankh-Morpork Times',
        contact: 'William De Worde',
        address: { streetAddress: 'Gleam Street', addressCountry: 'DW' },
        email: 'william@times.ankh-morpork.xyz',
        phone: '(555) 555-DISC (3429)',
      },
    ],
    policyUrl: 'https://times.ankh-morpork.xzy/privacy_2017',
    services: [
      {
        service: 'Digital Subscription and News Alerts',
        purposes: [
          {
            purpose: 'To provide contracted services',
            purposeCategory: ['2 - Contracted Service'],
            consentType: 'EXPLICIT',
            piiCategory: ['1 - Biographical', '2 - Contact', '4 - Communications/Social', '7 - Financial'],
            primaryPurpose: true,
            termination: 'Subscription end date + 1 year',
            thirdPartyDisclosure: true,
            thirdPartyName: 'The Ankh-morpork Deadbeat Debt Collectors Society',
          },
          {
            purpose: 'To personalize service experience',
            purposeCategory: ['5 - Personalize Experience'],
            consentType: 'EXPLICIT',
            piiCategory: ['1 - Biographical', '2 - Contact', '4 - Communications/Social'],
            primaryPurpose: false,
            termination: 'Subscription end date + 1 year',
            thirdPartyDisclosure: false,
          },
          {
            purpose: 'To market services',
            purposeCategory: ['6 - Marketing'],
            consentType: 'EXPLICIT',
            piiCategory: ['2 - Contact'],
            primaryPurpose: false,
            termination: 'Subscription end date + 1 year',
            thirdPartyDisclosure: false,
            thirdPartyName: 'DiscWorld Octarine Programmatic Ad Agency',
          },
          {
            purpose: 'Complying with legal obligations',
            purposeCategory: ['12 - Legally Required Data Retention', '13 - Required by Law Enforcement or Government'],
            consentType: 'N/A',
            piiCategory: ['1 - Biographical', '2 - Contact', '4 - Communications/Social', '7 - Financial'],
            primaryPurpose: false,
            termination: 'N/A',
            thirdPartyDisclosure: true,
            thirdPartyName: 'Requesting legal authority',
          },
        ],
      },
    ],
    sensitive: true,
    spiCat: ['1 - Biographical', '7 - Financial'],
  };
}

function firstPurpose(receipt: Json): Json {
  const [service] = receipt.services as Json[];
  const [purpose] = (service as Json).purposes as Json[];
  return purpose as Json;
}

function issuesOf(json: unknown) {
  const result = validateKantaraReceipt(json);
  expect(result.ok, 'expected the receipt to be rejected').to.equal(false);
  if (result.ok) throw new Error('unreachable');
  expect(result.error).to.be.instanceOf(ConsentValidationError);
  return { error: result.error, issues: result.error.issues };
}

/** An application form submitted in Canada: implied primary purpose, marketing left on, partner sharing ticked. */
const applicationRecord = recordAt('2026-11-02T10:00:00.999Z', {
  subject: { kind: 'commitment', commitment: 'c'.repeat(64) },
  decisions: [
    implied('application-processing'),
    optOut('marketing', true, { legalBasis: 'casl-implied-ebr' }),
    express('partner-sharing'),
    optOut('loyalty-programme', false),
  ],
});

describe('Kantara Consent Receipt v1.1 validator', () => {
  it("accepts Kantara's own v1.1 example (A1, R1–R5)", () => {
    const result = validateKantaraReceipt(kantaraExample());
    expect(result.ok, result.ok ? '' : result.error.message).to.equal(true);
  });

  it('rejects the example without each of the 11 required top-level keys, naming the key (A1, R1)', () => {
    expect(KANTARA_REQUIRED_KEYS).to.have.length(11);
    for (const key of KANTARA_REQUIRED_KEYS) {
      const json = kantaraExample();
      delete json[key];
      const { error, issues } = issuesOf(json);
      expect(
        issues.map((i) => i.path.join('.')),
        key,
      ).to.deep.equal([key]);
      expect(error.message).to.contain(`"${key}"`);
    }
  });

  it('rejects consentTimestamp as an ISO string, a negative number, a fraction or milliseconds; accepts seconds (A2)', () => {
    for (const bad of ['2024-01-01T00:00:00Z', -1, 1510592400.5, 1510592400000]) {
      const json = { ...kantaraExample(), consentTimestamp: bad };
      const { issues } = issuesOf(json);
      expect(issues[0]?.path, String(bad)).to.deep.equal(['consentTimestamp']);
    }
    expect(validateKantaraReceipt({ ...kantaraExample(), consentTimestamp: 0 }).ok).to.equal(true);
    expect(validateKantaraReceipt({ ...kantaraExample(), consentTimestamp: 1510592400 }).ok).to.equal(true);
  });

  it('requires thirdPartyName when thirdPartyDisclosure is true, and not when false (A4, R3)', () => {
    const withoutName = kantaraExample();
    delete firstPurpose(withoutName).thirdPartyName;
    const { issues } = issuesOf(withoutName);
    expect(issues.map((i) => i.path.join('.'))).to.deep.equal(['services.0.purposes.0.thirdPartyName']);

    const notDisclosed = kantaraExample();
    const purpose = firstPurpose(notDisclosed);
    purpose.thirdPartyDisclosure = false;
    delete purpose.thirdPartyName;
    expect(validateKantaraReceipt(notDisclosed).ok).to.equal(true);
  });

  it('rejects a missing required purpose key, naming its path (R3)', () => {
    for (const key of ['consentType', 'purposeCategory', 'piiCategory', 'termination', 'thirdPartyDisclosure']) {
      const json = kantaraExample();
      delete firstPurpose(json)[key];
      const { issues } = issuesOf(json);
      expect(
        issues.map((i) => i.path.join('.')),
        key,
      ).to.include(`services.0.purposes.0.${key}`);
    }
  });

  it('rejects a missing required controller key (R2)', () => {
    for (const key of ['piiController', 'contact', 'address', 'email', 'phone']) {
      const json = kantaraExample();
      delete ((json.piiControllers as Json[])[0] as Json)[key];
      const { issues } = issuesOf(json);
      expect(
        issues.map((i) => i.path.join('.')),
        key,
      ).to.deep.equal([`piiControllers.0.${key}`]);
    }
  });

  it('parses categories on the leading number, whatever the label says (A5, R4, R5)', () => {
    const a = parseKantaraCategory('5 - Personalize Experience', 'purpose');
    const b = parseKantaraCategory('5 - Personalized Experience', 'purpose');
    expect(a.ok && a.value.number).to.equal(5);
    expect(b.ok && b.value.number).to.equal(5);
    expect(parseKantaraCategory('4 - Communications/Social', 'pii').ok).to.equal(true);
    for (const bad of ['17 - Foo', '0 - Nothing', 'Marketing', '6', 6]) {
      expect(parseKantaraCategory(bad, 'purpose').ok, String(bad)).to.equal(false);
    }
    const json = kantaraExample();
    firstPurpose(json).purposeCategory = ['17 - Foo'];
    const { issues } = issuesOf(json);
    expect(issues.map((i) => i.path.join('.'))).to.deep.equal(['services.0.purposes.0.purposeCategory.0']);
    expect(issues[0]?.message).to.contain('17');
  });

  it('rejects the Go dialect key policyURL with a clear error, and normalises it on request (A3)', () => {
    const { policyUrl, ...rest } = kantaraExample();
    const goDialect = { ...rest, policyURL: policyUrl };
    const { error, issues } = issuesOf(goDialect);
    expect(issues.map((i) => i.code)).to.deep.equal(['go-dialect']);
    expect(error.message).to.contain('"policyURL"').and.to.contain('"policyUrl"');

    const normalised = normalizeKantaraReceipt(goDialect) as Json;
    expect(normalised.policyUrl).to.equal(policyUrl);
    expect(normalised).not.to.have.property('policyURL');
    expect(validateKantaraReceipt(normalised).ok).to.equal(true);

    expect(() => normalizeKantaraReceipt({ ...goDialect, policyUrl: 'https://other.example/' })).to.throw(
      ConsentValidationError,
      /policyURL/,
    );
  });

  it('requires our legal-basis extension on IMPLIED and OPT-OUT purposes (R6)', () => {
    const json = kantaraExample();
    firstPurpose(json).consentType = 'OPT-OUT';
    const { issues } = issuesOf(json);
    expect(issues.map((i) => i.path.join('.'))).to.deep.equal(['services.0.purposes.0.consentkit.legalBasis']);
    firstPurpose(json).consentkit = { legalBasis: 'legitimate-interest' };
    expect(validateKantaraReceipt(json).ok).to.equal(true);
  });

  it('rejects non-objects and wrong types', () => {
    expect(validateKantaraReceipt(null).ok).to.equal(false);
    expect(validateKantaraReceipt([]).ok).to.equal(false);
    const { issues } = issuesOf({ ...kantaraExample(), sensitive: 'yes', services: {} });
    expect(issues.map((i) => i.path.join('.'))).to.have.members(['sensitive', 'services']);
    expect(() => parseKantaraReceipt({})).to.throw(ConsentValidationError, /not a valid Kantara/);
  });
});

describe('Kantara Consent Receipt v1.1 projection', () => {
  const ledger = { receivedAt: '2026-11-02T10:00:01.500Z', kid: 'ledger-kid-1', seq: 42, digest: 'd'.repeat(64) };
  const receipt = (): KantaraReceipt =>
    toKantaraReceipt({ record: applicationRecord, policy: allstreamPolicy, ledger });

  it('produces a receipt our validator accepts, with every required key (R1)', () => {
    const json = JSON.parse(JSON.stringify(receipt())) as Json;
    const result = validateKantaraReceipt(json);
    expect(result.ok, result.ok ? '' : result.error.message).to.equal(true);
    for (const key of KANTARA_REQUIRED_KEYS) expect(json, key).to.have.property(key);
  });

  it('writes consentTimestamp in whole Unix seconds of the record time, not milliseconds (A2)', () => {
    const r = receipt();
    expect(r.consentTimestamp).to.equal(Math.floor(Date.parse('2026-11-02T10:00:00.999Z') / 1000));
    expect(Number.isInteger(r.consentTimestamp)).to.equal(true);
    const now = Date.now();
    expect(toUnixSeconds(new Date(now))).to.equal(Math.floor(now / 1000));
    expect(() => toUnixSeconds('yesterday')).to.throw(ConsentError);
  });

  it('uses the exact key policyUrl and never policyURL (A3)', () => {
    const json = receipt() as unknown as Json;
    expect(json.policyUrl).to.equal(allstreamPolicy.url);
    expect(json).not.to.have.property('policyURL');
  });

  it('maps express / implied / opt-out to EXPLICIT / IMPLIED / OPT-OUT with the legal basis beside it (R6, R37)', () => {
    const purposes = receipt().services[0]?.purposes ?? [];
    const byId = Object.fromEntries(purposes.map((p) => [p.consentkit?.purposeId, p]));
    expect(byId['application-processing']?.consentType).to.equal('IMPLIED');
    expect(byId['application-processing']?.consentkit?.legalBasis).to.equal('implied-consent');
    expect(byId.marketing?.consentType).to.equal('OPT-OUT');
    expect(byId.marketing?.consentkit?.legalBasis).to.equal('casl-implied-ebr');
    expect(byId['partner-sharing']?.consentType).to.equal('EXPLICIT');
    expect(byId['partner-sharing']?.consentkit?.legalBasis).to.equal('consent');
  });

  it('lists refusals and opt-outs apart, never as purposes consented to', () => {
    const r = receipt();
    const ids = (r.services[0]?.purposes ?? []).map((p) => p.consentkit?.purposeId);
    expect(ids).not.to.include('loyalty-programme');
    expect(r.consentkit?.declined).to.deep.equal(['loyalty-programme']);
  });

  it('writes categories as "N - Label" from the policy\'s kantara field (R4, R5)', () => {
    const purposes = receipt().services[0]?.purposes ?? [];
    const marketing = purposes.find((p) => p.consentkit?.purposeId === 'marketing');
    expect(marketing?.purposeCategory).to.deep.equal(['6 - Marketing']);
    expect(marketing?.piiCategory).to.deep.equal(['2 - Contact']);
    const sharing = purposes.find((p) => p.consentkit?.purposeId === 'partner-sharing');
    expect(sharing?.purposeCategory).to.deep.equal(['9 - Sharing for Marketing']);
  });

  it('discloses third parties by name and only then (R3)', () => {
    const purposes = receipt().services[0]?.purposes ?? [];
    const sharing = purposes.find((p) => p.consentkit?.purposeId === 'partner-sharing');
    expect(sharing?.thirdPartyDisclosure).to.equal(true);
    expect(sharing?.thirdPartyName).to.equal('AllStream authorized partners');
    const marketing = purposes.find((p) => p.consentkit?.purposeId === 'marketing');
    expect(marketing?.thirdPartyDisclosure).to.equal(false);
    expect(marketing).not.to.have.property('thirdPartyName');
  });

  it('does not count a processor as a third party', () => {
    const policy: Policy = {
      ...allstreamPolicy,
      recipients: allstreamPolicy.recipients.map((r) =>
        r.id === 'authorized-partners' ? { ...r, kind: 'processor' as const } : r,
      ),
    };
    const r = toKantaraReceipt({ record: applicationRecord, policy });
    const sharing = r.services[0]?.purposes.find((p) => p.consentkit?.purposeId === 'partner-sharing');
    expect(sharing?.thirdPartyDisclosure).to.equal(false);
  });

  it('marks sensitive data and its categories (R1 sensitive / spiCat)', () => {
    expect(receipt().sensitive).to.equal(false);
    expect(receipt().spiCat).to.deep.equal([]);
    const credit = recordAt('2026-11-03T09:00:00.000Z', { decisions: [express('credit-check')] });
    const r = toKantaraReceipt({ record: credit, policy: allstreamPolicy });
    expect(r.sensitive).to.equal(true);
    expect(r.spiCat).to.deep.equal(['7 - Financial']);
    const purpose = r.services[0]?.purposes[0];
    expect(purpose?.thirdPartyName).to.equal('Credit reporting agencies');
    expect(validateKantaraReceipt(JSON.parse(JSON.stringify(r))).ok).to.equal(true);
  });

  it('fills controller, principal (never the identifier), ids and the ledger extension', () => {
    const r = receipt();
    expect(r.version).to.equal('KI-CR-v1.1.0');
    expect(r.jurisdiction).to.equal('CA');
    expect(r.language).to.equal('en');
    expect(r.consentReceiptID).to.equal(applicationRecord.id);
    expect(r.piiPrincipalId).to.equal(`commitment:${'c'.repeat(64)}`);
    expect(r.piiControllers[0]).to.include({ piiController: 'AllStream', email: 'privacy@allstream.example' });
    expect(r.piiControllers[0]?.address).to.include({ streetAddress: '100 Example Street', addressCountry: 'CA' });
    expect(r.collectionMethod).to.contain('Web form submission').and.to.contain('https://allstream.example/apply');
    expect(r.consentkit).to.include({
      recordId: applicationRecord.id,
      receivedAt: ledger.receivedAt,
      ledgerKid: 'ledger-kid-1',
      seq: 42,
    });
  });

  it('projects a record made by createRecord, and needs an explicit principal for device subjects', async () => {
    const record = await createRecord({
      subject: { kind: 'device' },
      policy: allstreamPolicy,
      decisions: [{ purpose: 'partner-sharing', granted: true, basis: 'express' }],
      method: 'checkbox',
      interaction: 'keyboard',
      collectionPoint: { url: 'https://allstream.example/apply', element: 'share' },
      locale: 'fr-CA',
      jurisdiction: 'CA',
    });
    expect(() => toKantaraReceipt({ record, policy: allstreamPolicy })).to.throw(ConsentError, /piiPrincipalId/);
    const r = toKantaraReceipt({ record, policy: allstreamPolicy, piiPrincipalId: 'device:kid-123' });
    expect(r.piiPrincipalId).to.equal('device:kid-123');
    expect(r.language).to.equal('fr-CA');
    // The purpose text follows the record's locale (fr-CA → fr).
    expect(r.services[0]?.purposes[0]?.purpose).to.equal(allstreamPolicy.purposes[4]?.description.fr);
    expect(validateKantaraReceipt(JSON.parse(JSON.stringify(r))).ok).to.equal(true);
  });

  it('refuses a record of another policy version and a purpose without Kantara categories', () => {
    const other = { ...applicationRecord, policy: { ...applicationRecord.policy, version: '1.0' } };
    expect(() => toKantaraReceipt({ record: other, policy: allstreamPolicy }))
      .to.throw(ConsentError)
      .with.property('code', 'policy-mismatch');
    const { kantara: _dropped, ...marketing } = allstreamPolicy.purposes[1] as Policy['purposes'][number];
    const policy: Policy = {
      ...allstreamPolicy,
      purposes: allstreamPolicy.purposes.map((p) => (p.id === 'marketing' ? marketing : p)),
    };
    expect(() => toKantaraReceipt({ record: applicationRecord, policy })).to.throw(ConsentError, /Kantara categories/);
  });
});

describe('Kantara receipt signing (R7)', () => {
  it('signs the RFC 8785 receipt with ES256, verifiable by core and by an independent JOSE library', async () => {
    const pair = await generateSigningKeyPair({ algorithm: 'ES256' });
    const signer = await createKeySigner({ privateKey: pair.privateKey, publicJwk: pair.publicJwk });
    const receipt = toKantaraReceipt({ record: applicationRecord, policy: allstreamPolicy });
    const jws = await signKantaraReceipt({ receipt, signer });

    const verified = await verifyKantaraReceipt(jws, { key: pair.publicJwk, algorithms: ['ES256'] });
    expect(verified.receipt).to.deep.equal(JSON.parse(JSON.stringify(receipt)));
    expect(verified.header).to.include({ alg: 'ES256', typ: KANTARA_RECEIPT_JWS_TYPE, kid: signer.kid });

    const { payload, protectedHeader } = await compactVerify(jws, await importJWK({ ...pair.publicJwk }, 'ES256'));
    expect(protectedHeader.alg).to.equal('ES256');
    expect(utf8Decode(payload)).to.equal(canonicalize(receipt));
  });

  it('refuses to sign an invalid receipt and to verify a tampered or HS256 one', async () => {
    const pair = await generateSigningKeyPair({ algorithm: 'ES256' });
    const signer = await createKeySigner({ privateKey: pair.privateKey, publicJwk: pair.publicJwk });
    const receipt = toKantaraReceipt({ record: applicationRecord, policy: allstreamPolicy });
    const broken = { ...receipt, consentTimestamp: -1 };
    let refused: unknown;
    try {
      await signKantaraReceipt({ receipt: broken, signer });
    } catch (error) {
      refused = error;
    }
    expect(refused).to.be.instanceOf(ConsentValidationError);

    const jws = await signKantaraReceipt({ receipt, signer });
    const [h, p, sig] = jws.split('.');
    const tampered = `${h}.${p?.slice(0, -2)}AA.${sig}`;
    let failed: unknown;
    try {
      await verifyKantaraReceipt(tampered, { key: pair.publicJwk, algorithms: ['ES256'] });
    } catch (error) {
      failed = error;
    }
    expect(failed).to.be.instanceOf(ConsentError);
    const hs256 = `${base64urlEncode(utf8Encode(JSON.stringify({ alg: 'HS256', typ: KANTARA_RECEIPT_JWS_TYPE })))}.${p}.${sig}`;
    let rejected: unknown;
    try {
      await verifyKantaraReceipt(hs256, { key: pair.publicJwk, algorithms: ['ES256'] });
    } catch (error) {
      rejected = error;
    }
    expect(rejected).to.be.instanceOf(ConsentError).with.property('code', 'unsupported-algorithm');
  });
});
