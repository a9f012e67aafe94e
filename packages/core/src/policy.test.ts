import { allstreamPolicy } from '@consentkit/test-support/policy';
import { expect } from 'chai';
import { effectivePurpose, findPurpose, localize, localizeWithLocale, type Policy } from './policy.js';
import { policyDigest, policyRef } from './policy-ref.js';
import { compareVersions } from './policy-version.js';
import { isSensitivePurpose, sharesWithThirdParties } from './purpose-traits.js';

/** The same JSON value with every object's keys in reverse order. */
function reverseKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reverseKeys) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .reverse()
        .map(([k, v]) => [k, reverseKeys(v)]),
    ) as T;
  }
  return value;
}

function purpose(policy: Policy, id: string) {
  const found = findPurpose(policy, id);
  if (!found) throw new Error(id);
  return found;
}

describe('policy', () => {
  describe('policyDigest', () => {
    it('is lowercase hex SHA-256 and ignores key order (RFC 8785, R71)', async () => {
      const digest = await policyDigest(allstreamPolicy);
      expect(digest).to.match(/^[0-9a-f]{64}$/);
      expect(await policyDigest(reverseKeys(allstreamPolicy))).to.equal(digest);
    });

    it('changes when any wording changes', async () => {
      const changed = structuredClone(allstreamPolicy);
      const p = changed.purposes[1];
      if (p) p.description = { ...p.description, en: `${p.description.en} ` };
      expect(await policyDigest(changed)).to.not.equal(await policyDigest(allstreamPolicy));
    });

    it('policyRef carries id, version and digest', async () => {
      expect(await policyRef(allstreamPolicy)).to.deep.equal({
        id: 'allstream',
        version: '1.1',
        digest: await policyDigest(allstreamPolicy),
      });
    });
  });

  it('findPurpose finds by id and returns undefined otherwise', () => {
    expect(findPurpose(allstreamPolicy, 'marketing')?.basis).to.equal('opt-out');
    expect(findPurpose(allstreamPolicy, 'nope')).to.equal(undefined);
  });

  describe('localize', () => {
    const text = { en: 'Name', fr: 'Nom', 'fr-CA': 'Nom (CA)' };
    it('prefers the exact locale, case-insensitively', () => {
      expect(localize(text, 'fr-CA')).to.equal('Nom (CA)');
      expect(localize(text, 'fr-ca')).to.equal('Nom (CA)');
    });
    it('falls back to the language, then the fallback locale, then English', () => {
      expect(localize(text, 'fr-BE')).to.equal('Nom');
      expect(localize({ en: 'Name', fr: 'Nom' }, 'de', 'fr')).to.equal('Nom');
      expect(localize({ en: 'Name' }, 'de', 'fr')).to.equal('Name');
    });
    it('never returns blank when any text exists', () => {
      expect(localize({ de: 'Name (de)' }, 'fr', 'es')).to.equal('Name (de)');
    });
    it('says which locale of the text it picked (the language of the words shown)', () => {
      expect(localizeWithLocale(text, 'fr-ca')).to.deep.equal({ text: 'Nom (CA)', locale: 'fr-CA' });
      expect(localizeWithLocale(text, 'ja', 'fr')).to.deep.equal({ text: 'Nom', locale: 'fr' });
      expect(localizeWithLocale({ de: 'Name (de)' }, 'ja')).to.deep.equal({ text: 'Name (de)', locale: 'de' });
      expect(localizeWithLocale({}, 'ja', 'fr')).to.deep.equal({ text: '', locale: 'fr' });
    });
  });

  describe('effectivePurpose', () => {
    it('uses the policy values without an override', () => {
      expect(effectivePurpose(purpose(allstreamPolicy, 'marketing'), 'CA')).to.deep.equal({
        basis: 'opt-out',
        legalBasis: 'casl-implied-ebr',
      });
      expect(effectivePurpose(purpose(allstreamPolicy, 'marketing'))).to.deep.include({ basis: 'opt-out' });
    });

    it('applies the GDPR override to EU, EEA and UK codes', () => {
      for (const code of ['DE', 'fr', 'IE', 'NO', 'GB']) {
        expect(effectivePurpose(purpose(allstreamPolicy, 'loyalty-programme'), code), code).to.deep.equal({
          basis: 'express',
          legalBasis: 'consent',
          override: 'GDPR',
        });
      }
    });

    it('prefers the most specific key: subdivision, then country, then GDPR', () => {
      const p = structuredClone(purpose(allstreamPolicy, 'marketing'));
      p.jurisdictions = {
        GDPR: { legalBasis: 'soft-opt-in' },
        DE: { legalBasis: 'legitimate-interest' },
        US: { basis: 'express', legalBasis: 'consent' },
        'US-CA': { basis: 'opt-out', legalBasis: 'implied-consent' },
      };
      expect(effectivePurpose(p, 'DE').legalBasis).to.equal('legitimate-interest');
      expect(effectivePurpose(p, 'AT').legalBasis).to.equal('soft-opt-in');
      expect(effectivePurpose(p, 'US-NY').basis).to.equal('express');
      expect(effectivePurpose(p, 'US-CA')).to.deep.equal({
        basis: 'opt-out',
        legalBasis: 'implied-consent',
        override: 'US-CA',
      });
    });
  });

  it('tells third-party sharing and sensitivity apart (R31, R32)', () => {
    expect(sharesWithThirdParties(allstreamPolicy, purpose(allstreamPolicy, 'partner-sharing'))).to.equal(true);
    expect(sharesWithThirdParties(allstreamPolicy, purpose(allstreamPolicy, 'marketing'))).to.equal(false);
    expect(isSensitivePurpose(allstreamPolicy, purpose(allstreamPolicy, 'credit-check'))).to.equal(true);
    expect(isSensitivePurpose(allstreamPolicy, purpose(allstreamPolicy, 'marketing'))).to.equal(false);
    // A processor is not a third party.
    const policy = structuredClone(allstreamPolicy);
    policy.recipients.push({ id: 'host', name: 'Host', kind: 'processor', audited: true });
    const p = purpose(policy, 'marketing');
    p.recipients = ['host'];
    expect(sharesWithThirdParties(policy, p)).to.equal(false);
    // A non-sensitive purpose using a sensitive data category is sensitive.
    p.dataCategories = ['financial-details'];
    expect(isSensitivePurpose(policy, p)).to.equal(true);
  });

  it('compareVersions orders numeric parts as numbers', () => {
    expect(compareVersions('1.10', '1.9')).to.equal(1);
    expect(compareVersions('1.1', '1.1')).to.equal(0);
    expect(compareVersions('1', '1.0')).to.equal(0);
    expect(compareVersions('1.0', '1.1')).to.equal(-1);
    expect(compareVersions('2026-01', '2026-02')).to.equal(-1);
  });
});
