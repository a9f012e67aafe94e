import { allstreamPolicy } from '@consentkit/test-support/policy';
import { express, implied, optOut, recordAt } from '@consentkit/test-support/records';
import { expect } from 'chai';
import type { Assurance } from './assurance.js';
import type { HistoryItem } from './assured-record.js';
import type { Policy, Purpose } from './policy.js';
import type { ConsentRecord } from './record.js';
import { evaluateConsent, isPermitted, type PurposeState } from './rules.js';

const NOW = new Date('2026-11-20T12:00:00.000Z');
const T1 = '2026-11-02T10:00:00.000Z';
const T2 = '2026-11-05T10:00:00.000Z';
const T3 = '2026-11-08T10:00:00.000Z';

/** Records as the ledger stores them when the site's backend posted them (enough for every default level). */
const at = (level: Assurance, history: readonly ConsentRecord[]): HistoryItem[] =>
  history.map((record) => ({ record, assurance: level }));

function state(
  history: ConsentRecord[],
  purpose: string,
  context: { jurisdiction?: string; gpc?: boolean; now?: Date } = {},
  policy: Policy = allstreamPolicy,
): PurposeState {
  return stateOf(at('site', history), purpose, context, policy);
}

function stateOf(
  history: readonly HistoryItem[],
  purpose: string,
  context: { jurisdiction?: string; gpc?: boolean; now?: Date } = {},
  policy: Policy = allstreamPolicy,
): PurposeState {
  const result = evaluateConsent({ policy, history, context: { now: NOW, ...context } })[purpose];
  if (!result) throw new Error(`no state for ${purpose}`);
  return result;
}

/** A copy of the AllStream policy with one purpose changed. */
function variant(purposeId: string, change: (p: Purpose) => void): Policy {
  const copy = structuredClone(allstreamPolicy);
  const purpose = copy.purposes.find((p) => p.id === purposeId);
  if (!purpose) throw new Error(purposeId);
  change(purpose);
  return copy;
}

/** The application form as submitted: implied primary, opt-out boxes left alone, express boxes as given. */
function application(at: string, extra: Partial<ConsentRecord> = {}, partnerTicked = false): ConsentRecord {
  return recordAt(at, {
    decisions: [
      implied('application-processing'),
      optOut('marketing'),
      optOut('loyalty-programme'),
      optOut('relationship-management'),
      express('partner-sharing', partnerTicked),
    ],
    ...extra,
  });
}

describe('evaluateConsent', () => {
  describe('crosswalk §2.5, express row (the person ticks an unticked box)', () => {
    it('GDPR (DE): a tick is valid consent, legal basis consent (R16–R21)', () => {
      const s = state([application(T1, { jurisdiction: 'DE' }, true)], 'partner-sharing', { jurisdiction: 'DE' });
      expect(s).to.include({ status: 'granted', reason: 'express-granted', basis: 'express', legalBasis: 'consent' });
    });

    it('GDPR (DE): a pre-ticked box is not consent (R21, R23, B1)', () => {
      const h = [
        recordAt(T1, { jurisdiction: 'DE', decisions: [express('partner-sharing', true, { preChecked: true })] }),
      ];
      expect(state(h, 'partner-sharing', { jurisdiction: 'DE' })).to.include({
        status: 'needs-consent',
        reason: 'not-affirmative',
      });
    });

    it('GDPR (DE): silence or inactivity is not consent (R21, R23)', () => {
      const h = [recordAt(T1, { interaction: 'none', decisions: [express('partner-sharing')] })];
      expect(state(h, 'partner-sharing', { jurisdiction: 'DE' }).status).to.equal('needs-consent');
    });

    it('PECR (GB): express consent to the GDPR standard from a click; loyalty is express in GB (R28)', () => {
      const h = [recordAt(T1, { jurisdiction: 'GB', method: 'checkbox', decisions: [express('loyalty-programme')] })];
      expect(state(h, 'loyalty-programme', { jurisdiction: 'GB' })).to.include({
        status: 'granted',
        reason: 'express-granted',
        basis: 'express',
        legalBasis: 'consent',
      });
    });

    it('PIPEDA (CA): express consent by keyboard counts as an affirmative act (R31, R32)', () => {
      const h = [
        recordAt(T1, { method: 'checkbox', interaction: 'keyboard', decisions: [express('partner-sharing')] }),
      ];
      expect(state(h, 'partner-sharing')).to.include({
        status: 'granted',
        reason: 'express-granted',
        basis: 'express',
      });
    });

    it('CASL (CA): express consent does not expire (R34)', () => {
      const h = [recordAt('2019-01-01T00:00:00.000Z', { method: 'checkbox', decisions: [express('partner-sharing')] })];
      expect(state(h, 'partner-sharing', { now: new Date('2026-11-20T00:00:00.000Z') }).status).to.equal('granted');
    });

    it('CASL (CA): express cannot come from a pre-checked box (R34)', () => {
      const h = [recordAt(T1, { decisions: [express('partner-sharing', true, { preChecked: true })] })];
      expect(state(h, 'partner-sharing')).to.include({ status: 'needs-consent', reason: 'not-affirmative' });
    });

    it('a script that ticks the box grants nothing, even inside a pointer-submitted form (R16, B3)', () => {
      const byScript = [recordAt(T1, { interaction: 'programmatic', decisions: [express('partner-sharing')] })];
      expect(state(byScript, 'partner-sharing').reason).to.equal('not-affirmative');
      const oneBoxByScript = [
        recordAt(T1, {
          interaction: 'pointer',
          decisions: [express('partner-sharing', true, { interaction: 'programmatic' })],
        }),
      ];
      expect(state(oneBoxByScript, 'partner-sharing').status).to.equal('needs-consent');
    });

    it('an express purpose left as an opt-out box is not express consent (R16, R34)', () => {
      const h = [recordAt(T1, { decisions: [optOut('partner-sharing')] })];
      expect(state(h, 'partner-sharing')).to.include({ status: 'needs-consent', reason: 'not-affirmative' });
    });

    it('a one-click email link or a GPC record never grants express consent (R16)', () => {
      for (const method of ['one-click-email', 'gpc'] as const) {
        const h = [recordAt(T1, { method, decisions: [express('partner-sharing')] })];
        expect(state(h, 'partner-sharing').status, method).to.not.equal('granted');
      }
    });

    it('an attested server-side (api) record of written consent counts (R31)', () => {
      const h = [recordAt(T1, { method: 'api', decisions: [express('partner-sharing')] })];
      delete h[0]?.interaction;
      expect(state(h, 'partner-sharing').status).to.equal('granted');
    });

    it('an unticked express box is a refusal (R12)', () => {
      const s = state([application(T1)], 'partner-sharing');
      expect(s).to.include({ status: 'denied', reason: 'refused' });
    });
  });

  describe('crosswalk §2.5, implied row (existing customer / the submission itself)', () => {
    it('GDPR (DE): the primary purpose stands on contract, not consent (R16, Rec. 47)', () => {
      const s = state([application(T1, { jurisdiction: 'DE' })], 'application-processing', { jurisdiction: 'DE' });
      expect(s).to.include({
        status: 'granted',
        reason: 'implied-by-submission',
        basis: 'implied',
        legalBasis: 'contract',
      });
    });

    it('GDPR (DE): implied consent with no other legal ground is not consent (R16, R21)', () => {
      const policy = variant('application-processing', (p) => {
        delete p.jurisdictions;
      });
      const s = state([application(T1)], 'application-processing', { jurisdiction: 'DE' }, policy);
      expect(s).to.include({ status: 'needs-consent', reason: 'gdpr-implied-is-not-consent' });
      // The same history in Canada is implied consent (R31).
      expect(state([application(T1)], 'application-processing', {}, policy).status).to.equal('granted');
    });

    it('PECR (GB): soft opt-in stands only when the details came from a sale or negotiation (R29 (a))', () => {
      const withSale = [application(T1, { jurisdiction: 'GB', context: { saleRef: 'application-42' } })];
      expect(state(withSale, 'marketing', { jurisdiction: 'GB' })).to.include({
        status: 'granted',
        reason: 'opt-out-standing',
        legalBasis: 'soft-opt-in',
      });
      const withoutSale = [application(T1, { jurisdiction: 'GB' })];
      expect(state(withoutSale, 'marketing', { jurisdiction: 'GB' })).to.include({
        status: 'needs-consent',
        reason: 'gdpr-opt-out-is-not-consent',
      });
    });

    it('PECR (GB): soft opt-in needs the refusal offered at collection: never presented, no marketing (R29 (c))', () => {
      const h = [
        recordAt(T1, { jurisdiction: 'GB', context: { saleRef: 's' }, decisions: [implied('application-processing')] }),
      ];
      expect(state(h, 'marketing', { jurisdiction: 'GB' })).to.include({
        status: 'needs-consent',
        reason: 'never-presented',
      });
    });

    it('PIPEDA (CA): implied consent comes from the form submission (R31 4.3.6)', () => {
      expect(state([application(T1)], 'application-processing')).to.include({
        status: 'granted',
        reason: 'implied-by-submission',
        legalBasis: 'implied-consent',
      });
      const notASubmission = [recordAt(T1, { method: 'checkbox', decisions: [implied('application-processing')] })];
      expect(state(notASubmission, 'application-processing').status).to.equal('needs-consent');
      expect(state([], 'application-processing')).to.include({ status: 'needs-consent', reason: 'never-presented' });
    });

    it('PIPEDA (CA): implied consent covers only the primary purpose (R31)', () => {
      const h = [recordAt(T1, { decisions: [implied('partner-sharing')] })];
      expect(state(h, 'partner-sharing').status).to.equal('needs-consent');
      // Even a policy that (wrongly) calls a secondary purpose implied gets express treatment.
      const policy = variant('relationship-management', (p) => {
        p.basis = 'implied';
      });
      const s = state(
        [recordAt(T1, { decisions: [implied('relationship-management')] })],
        'relationship-management',
        {},
        policy,
      );
      expect(s).to.include({ status: 'needs-consent', basis: 'express' });
    });

    it('PIPEDA (CA): sensitive information is never implied (R31 4.3.6)', () => {
      const policy = variant('credit-check', (p) => {
        p.basis = 'implied';
        p.primary = true;
      });
      const s = state([recordAt(T1, { decisions: [implied('credit-check')] })], 'credit-check', {}, policy);
      expect(s).to.include({ status: 'needs-consent', basis: 'express' });
    });

    it('CASL (CA): implied consent from a contract lapses after 2 years (R35, B9)', () => {
      const h = [
        application('2024-03-01T09:00:00.000Z', { context: { relationshipStart: '2024-03-01T09:00:00.000Z' } }),
      ];
      expect(state(h, 'marketing', { now: new Date('2026-02-28T00:00:00.000Z') }).status).to.equal('granted');
      expect(state(h, 'marketing', { now: new Date('2026-03-02T00:00:00.000Z') })).to.include({
        status: 'needs-consent',
        reason: 'expired',
      });
    });

    it('CASL (CA): implied consent from an inquiry lapses after 6 months (R35, B9)', () => {
      const context = { relationshipStart: '2026-01-10T00:00:00.000Z', relationship: 'inquiry' as const };
      const h = [application('2026-01-10T00:00:00.000Z', { context })];
      expect(state(h, 'marketing', { now: new Date('2026-07-01T00:00:00.000Z') }).status).to.equal('granted');
      expect(state(h, 'marketing', { now: new Date('2026-07-11T00:00:00.000Z') }).reason).to.equal('expired');
    });
  });

  describe('crosswalk §2.5, opt-out row (negative option)', () => {
    it('GDPR (DE): an opt-out box never counts as consent (R21, R23, R37)', () => {
      const policy = variant('relationship-management', (p) => {
        delete p.jurisdictions;
      });
      const s = state([application(T1)], 'relationship-management', { jurisdiction: 'DE' }, policy);
      expect(s).to.include({ status: 'needs-consent', reason: 'gdpr-opt-out-is-not-consent' });
    });

    it('GDPR (DE): an opt-out box stands on a non-consent basis the policy gives (legitimate interest + Art. 21, R22)', () => {
      const s = state([application(T1, { jurisdiction: 'DE' })], 'relationship-management', { jurisdiction: 'DE' });
      expect(s).to.include({ status: 'granted', reason: 'opt-out-standing', legalBasis: 'legitimate-interest' });
    });

    it('GDPR (DE): where the policy makes an opt-out purpose express, the untouched box grants nothing (R23)', () => {
      const s = state([application(T1)], 'loyalty-programme', { jurisdiction: 'DE' });
      expect(s).to.include({ status: 'needs-consent', reason: 'not-affirmative', basis: 'express' });
    });

    it('PECR (GB): the opt-out box is honoured as refusal of marketing (R29 (c), R22)', () => {
      const h = [
        recordAt(T1, {
          jurisdiction: 'GB',
          context: { saleRef: 's' },
          decisions: [implied('application-processing'), optOut('marketing', false)],
        }),
      ];
      expect(state(h, 'marketing', { jurisdiction: 'GB' })).to.include({ status: 'denied', reason: 'opted-out' });
    });

    it('PIPEDA (CA): an opt-out purpose stands once presented, until opted out (R31 4.3.7)', () => {
      const h = [application(T1)];
      expect(state(h, 'relationship-management')).to.include({
        status: 'granted',
        reason: 'opt-out-standing',
        basis: 'opt-out',
        legalBasis: 'implied-consent',
      });
      const unsubscribed = [
        ...h,
        recordAt(T2, {
          method: 'one-click-email',
          interaction: 'none',
          decisions: [optOut('relationship-management', false)],
        }),
      ];
      expect(state(unsubscribed, 'relationship-management')).to.include({ status: 'denied', reason: 'opted-out' });
    });

    it('PIPEDA (CA): an opt-out purpose never presented has no consent (R32)', () => {
      const h = [recordAt(T1, { decisions: [implied('application-processing')] })];
      expect(state(h, 'relationship-management')).to.include({ status: 'needs-consent', reason: 'never-presented' });
    });

    it('PIPEDA (CA): opt-out is only for non-sensitive information (R32)', () => {
      const policy = variant('relationship-management', (p) => {
        p.sensitive = true;
      });
      expect(state([application(T1)], 'relationship-management', {}, policy)).to.include({
        status: 'needs-consent',
        basis: 'express',
      });
    });

    it('CASL (CA): an opt-out is reported as opt-out on an implied EBR basis, never as express consent (R34, R37)', () => {
      const s = state([application(T1)], 'marketing');
      expect(s).to.include({ status: 'granted', basis: 'opt-out', legalBasis: 'casl-implied-ebr' });
      expect(s.legalBasis).to.not.equal('consent');
    });

    it('once opted out, a re-shown box left alone does not opt back in; the person’s own act does (R31 4.3.8)', () => {
      const h = [
        application(T1),
        recordAt(T2, { method: 'checkbox', decisions: [optOut('marketing', false)] }),
        recordAt(T3, { decisions: [optOut('marketing', true, { interaction: 'none' })] }),
      ];
      expect(state(h, 'marketing')).to.include({ status: 'denied', reason: 'opted-out' });
      const optedBackIn = [
        ...h,
        recordAt('2026-11-09T10:00:00.000Z', { method: 'preference-page', decisions: [optOut('marketing', true)] }),
      ];
      expect(state(optedBackIn, 'marketing').status).to.equal('granted');
    });
  });

  describe('new purposes (R24, B10)', () => {
    it('a purpose added in a later policy version has no consent from older records', () => {
      const old = { id: 'allstream', version: '1.0', digest: '1'.repeat(64) };
      const h = [
        recordAt(T1, {
          policy: old,
          method: 'checkbox',
          decisions: [express('credit-check'), express('partner-sharing')],
        }),
      ];
      expect(state(h, 'credit-check')).to.include({ status: 'needs-consent', reason: 'never-presented' });
      // Purposes the old version had keep their consent.
      expect(state(h, 'partner-sharing').status).to.equal('granted');
      // Under the version that introduced it, the same act counts.
      const current = [recordAt(T1, { method: 'checkbox', decisions: [express('credit-check')] })];
      expect(state(current, 'credit-check').status).to.equal('granted');
    });

    it('a version compare is numeric, not textual ("1.10" has a purpose added in "1.9")', () => {
      const policy = variant('credit-check', (p) => {
        p.since = '1.9';
      });
      const h = [
        recordAt(T1, {
          policy: { id: 'allstream', version: '1.10', digest: '0'.repeat(64) },
          method: 'checkbox',
          decisions: [express('credit-check')],
        }),
      ];
      expect(state(h, 'credit-check', {}, policy).status).to.equal('granted');
    });

    it('a record of another policy grants nothing here', () => {
      const h = [
        recordAt(T1, {
          policy: { id: 'other', version: '9', digest: '0'.repeat(64) },
          decisions: [express('partner-sharing')],
        }),
      ];
      expect(state(h, 'partner-sharing').status).to.equal('needs-consent');
    });

    it('a purpose the policy no longer has is reported as unknown and denied', () => {
      const h = [recordAt(T1, { decisions: [express('retired-purpose')] })];
      const all = evaluateConsent({ policy: allstreamPolicy, history: h, context: { now: NOW } });
      expect(all['retired-purpose']).to.include({ status: 'denied', reason: 'unknown-purpose' });
    });
  });

  describe('withdrawal (R19, R27, A8)', () => {
    const grant = recordAt(T1, { method: 'checkbox', decisions: [express('partner-sharing')] });
    const withdraw = recordAt(T2, { method: 'preference-page', decisions: [express('partner-sharing', false)] });

    it('grant then withdraw: denied, resting on the withdrawal; the grant is still in the history, unchanged (A8)', () => {
      const history = [grant, withdraw];
      const before = structuredClone(history);
      const s = state(history, 'partner-sharing');
      expect(s).to.include({ status: 'denied', reason: 'withdrawn', recordId: withdraw.id, at: T2 });
      expect(history).to.deep.equal(before);
    });

    it('withdrawal does not affect the time before it: evaluated then, the grant stands (R19)', () => {
      const s = state([grant, withdraw], 'partner-sharing', { now: new Date('2026-11-03T00:00:00.000Z') });
      expect(s).to.include({ status: 'granted', recordId: grant.id });
    });

    it('a withdrawal counts whatever policy version it names (R75)', () => {
      const oldWithdraw = recordAt(T2, {
        policy: { id: 'allstream', version: '0.1', digest: '2'.repeat(64) },
        method: 'preference-page',
        decisions: [express('credit-check', false)],
      });
      const credit = recordAt(T1, { method: 'checkbox', decisions: [express('credit-check')] });
      expect(state([credit, oldWithdraw], 'credit-check').reason).to.equal('withdrawn');
    });

    it('is pure: a frozen history is not modified', () => {
      const frozen = Object.freeze([Object.freeze({ ...grant }), Object.freeze({ ...withdraw })]);
      expect(() => evaluateConsent({ policy: allstreamPolicy, history: frozen, context: { now: NOW } })).to.not.throw();
    });
  });

  describe('Global Privacy Control (R45–R50, B11, B12)', () => {
    it('GPC on the request opts out of purposes marked sale/sharing/advertising, and only those (R48, R50, B11)', () => {
      const all = evaluateConsent({
        policy: allstreamPolicy,
        history: [application(T1)],
        context: { now: NOW, gpc: true },
      });
      expect(all['partner-sharing']).to.include({ status: 'denied', reason: 'gpc' });
      expect(all['partner-sharing']?.conflict).to.equal(undefined);
      expect(all.marketing?.status).to.equal('granted');
      expect(all['application-processing']?.status).to.equal('granted');
    });

    it('a GPC record opts out even when GPC is not on the current request (R48 (c)(1))', () => {
      const h = [
        recordAt(T1, { method: 'gpc', interaction: 'none', gpc: true, decisions: [express('partner-sharing', false)] }),
      ];
      expect(state(h, 'partner-sharing')).to.include({ status: 'denied', reason: 'gpc' });
    });

    it('GPC over a prior express grant: denied and the conflict is flagged (R48 (c)(3), B12)', () => {
      const grant = recordAt(T1, { method: 'checkbox', gpc: false, decisions: [express('partner-sharing')] });
      expect(state([grant], 'partner-sharing', { gpc: true })).to.include({
        status: 'denied',
        reason: 'gpc',
        conflict: 'gpc',
      });
      const gpcRecord = recordAt(T2, {
        method: 'gpc',
        interaction: 'none',
        gpc: true,
        decisions: [express('partner-sharing', false)],
      });
      expect(state([grant, gpcRecord], 'partner-sharing')).to.include({
        status: 'denied',
        reason: 'gpc',
        conflict: 'gpc',
      });
    });

    it('an explicit click after the GPC record, while GPC is seen, re-consents (R48 (c)(3), R50, B12)', () => {
      const h = [
        recordAt(T1, { method: 'checkbox', gpc: false, decisions: [express('partner-sharing')] }),
        recordAt(T2, { method: 'gpc', interaction: 'none', gpc: true, decisions: [express('partner-sharing', false)] }),
        recordAt(T3, {
          method: 'checkbox',
          interaction: 'pointer',
          gpc: true,
          decisions: [express('partner-sharing')],
        }),
      ];
      const s = state(h, 'partner-sharing', { gpc: true });
      expect(s).to.include({ status: 'granted', reason: 'express-granted', recordId: h[2]?.id });
      expect(s.conflict).to.equal(undefined);
      // A later form on a GPC browser that does not touch the box does not undo the re-consent.
      const later = recordAt('2026-11-09T00:00:00.000Z', { gpc: true, decisions: [implied('application-processing')] });
      expect(state([...h, later], 'partner-sharing', { gpc: true }).status).to.equal('granted');
    });

    it('after GPC, anything short of an explicit express act does not re-consent (B12)', () => {
      const h = [
        recordAt(T1, { method: 'gpc', interaction: 'none', gpc: true, decisions: [express('partner-sharing', false)] }),
        recordAt(T2, { gpc: true, decisions: [express('partner-sharing', true, { preChecked: true })] }),
        recordAt(T3, { gpc: true, decisions: [optOut('partner-sharing')] }),
      ];
      expect(state(h, 'partner-sharing')).to.include({ status: 'denied', reason: 'gpc' });
    });

    it('a grant made without GPC is overridden when GPC appears on a later record (R50)', () => {
      const h = [
        recordAt(T1, { method: 'checkbox', gpc: false, decisions: [express('partner-sharing')] }),
        recordAt(T2, { gpc: true, decisions: [implied('application-processing')] }),
      ];
      expect(state(h, 'partner-sharing')).to.include({ status: 'denied', reason: 'gpc', conflict: 'gpc' });
    });
  });

  describe('context', () => {
    it('ignores records issued after `now`', () => {
      const h = [recordAt('2027-01-01T00:00:00.000Z', { method: 'checkbox', decisions: [express('partner-sharing')] })];
      expect(state(h, 'partner-sharing').status).to.equal('needs-consent');
    });

    it('defaults the jurisdiction to the policy’s (CA)', () => {
      expect(state([application(T1)], 'loyalty-programme').status).to.equal('granted');
    });

    it('GDPR overrides apply to every EU/EEA/UK code (FR, NO, GB)', () => {
      for (const jurisdiction of ['FR', 'NO', 'GB']) {
        expect(state([application(T1)], 'loyalty-programme', { jurisdiction }).basis, jurisdiction).to.equal('express');
      }
      expect(state([application(T1)], 'loyalty-programme', { jurisdiction: 'US-CA' }).basis).to.equal('opt-out');
    });

    it('returns a state for every policy purpose; isPermitted reads it', () => {
      const all = evaluateConsent({ policy: allstreamPolicy, history: [application(T1)], context: { now: NOW } });
      expect(Object.keys(all).sort()).to.deep.equal(allstreamPolicy.purposes.map((p) => p.id).sort());
      expect(isPermitted(all, 'application-processing')).to.equal(true);
      expect(isPermitted(all, 'partner-sharing')).to.equal(false);
      expect(isPermitted(all, 'nope')).to.equal(false);
    });
  });
});

describe('assurance: who spoke, not only what was said', () => {
  const grant = recordAt(T1, { method: 'checkbox', decisions: [express('partner-sharing')] });

  it('an express grant a browser made alone (device) is pending, resting on that record; "may we?" is no', () => {
    const s = stateOf([grant], 'partner-sharing');
    expect(s).to.include({ status: 'pending', reason: 'awaiting-assurance', recordId: grant.id });
    expect(
      isPermitted(
        evaluateConsent({ policy: allstreamPolicy, history: [grant], context: { now: NOW } }),
        'partner-sharing',
      ),
    ).to.equal(false);
  });

  it('the same grant counts once the backend attests it (site) or the person confirms it (inbox)', () => {
    const attestation = recordAt(T2, { method: 'api', attests: grant.id, decisions: [express('partner-sharing')] });
    const confirmation = recordAt(T2, {
      method: 'email-confirmation',
      confirms: grant.id,
      decisions: [express('partner-sharing')],
    });
    const attested = stateOf(
      [
        { record: grant, assurance: 'device' },
        { record: attestation, assurance: 'site', vouches: { recordId: grant.id } },
      ],
      'partner-sharing',
    );
    expect(attested).to.include({ status: 'granted', reason: 'express-granted', recordId: grant.id, at: T1 });
    const confirmed = stateOf(
      [grant, { record: confirmation, assurance: 'inbox', vouches: { recordId: grant.id } }],
      'partner-sharing',
    );
    expect(confirmed).to.include({ status: 'granted', recordId: grant.id });
  });

  it('a confirmation raises only the purposes it restates: confirming one purpose leaves the other pending', () => {
    const both = recordAt(T1, { method: 'checkbox', decisions: [express('partner-sharing'), express('credit-check')] });
    const confirmation = recordAt(T2, {
      method: 'email-confirmation',
      confirms: both.id,
      decisions: [express('partner-sharing')],
    });
    const history: HistoryItem[] = [both, { record: confirmation, assurance: 'inbox', vouches: { recordId: both.id } }];
    expect(stateOf(history, 'partner-sharing')).to.include({ status: 'granted', recordId: both.id });
    expect(stateOf(history, 'credit-check')).to.include({ status: 'pending', reason: 'awaiting-assurance' });
  });

  it('a confirmation after a withdrawal does not bring the grant back: it raises the grant where it stands', () => {
    const withdraw = recordAt(T2, { method: 'checkbox', decisions: [express('partner-sharing', false)] });
    const confirmation = recordAt(T3, {
      method: 'email-confirmation',
      confirms: grant.id,
      decisions: [express('partner-sharing')],
    });
    const s = stateOf(
      [grant, withdraw, { record: confirmation, assurance: 'inbox', vouches: { recordId: grant.id } }],
      'partner-sharing',
    );
    expect(s).to.include({ status: 'denied', recordId: withdraw.id });
  });

  it('withdrawals, opt-outs, refusals and GPC count at every level (device)', () => {
    const withdraw = recordAt(T2, { method: 'checkbox', decisions: [express('partner-sharing', false)] });
    expect(stateOf([...at('site', [grant]), withdraw], 'partner-sharing')).to.include({
      status: 'denied',
      reason: 'withdrawn',
    });
    const optOutRecord = recordAt(T2, { method: 'checkbox', decisions: [optOut('marketing', false)] });
    expect(stateOf([optOutRecord], 'marketing')).to.include({ status: 'denied', reason: 'opted-out' });
    const gpc = recordAt(T2, {
      method: 'gpc',
      interaction: 'none',
      gpc: true,
      decisions: [express('partner-sharing', false)],
    });
    expect(stateOf([...at('site', [grant]), gpc], 'partner-sharing')).to.include({ status: 'denied', reason: 'gpc' });
  });

  it('re-granting an opt-out purpose after an opt-out needs the express level: a device cannot undo an unsubscribe', () => {
    const unsubscribe = recordAt(T1, {
      method: 'one-click-email',
      interaction: 'none',
      decisions: [optOut('marketing', false)],
    });
    const resubscribe = recordAt(T2, { method: 'checkbox', decisions: [optOut('marketing', true)] });
    const third = stateOf([{ record: unsubscribe, assurance: 'inbox' }, resubscribe], 'marketing');
    expect(third).to.include({ status: 'pending', reason: 'awaiting-assurance', recordId: resubscribe.id });
    // A later plain submission that leaves the box alone does not slip past the pending re-grant.
    const leftAlone = recordAt(T3, {
      method: 'form-submit',
      interaction: 'none',
      decisions: [optOut('marketing', true)],
    });
    expect(stateOf([{ record: unsubscribe, assurance: 'inbox' }, resubscribe, leftAlone], 'marketing').status).to.equal(
      'pending',
    );
    expect(
      stateOf(
        [
          { record: unsubscribe, assurance: 'inbox' },
          { record: resubscribe, assurance: 'inbox' },
        ],
        'marketing',
      ),
    ).to.include({
      status: 'granted',
    });
  });

  it('an opt-out purpose shown for the first time stands at any level (nothing to undo)', () => {
    expect(stateOf([recordAt(T1, { decisions: [optOut('marketing')] })], 'marketing').status).to.equal('granted');
  });

  it('method "api" is a backend speaking only when the ledger says an authenticated caller sent it', () => {
    const api = recordAt(T1, { method: 'api', decisions: [express('partner-sharing')] });
    delete (api as { interaction?: unknown }).interaction;
    expect(stateOf([api], 'partner-sharing').status).to.equal('needs-consent');
    expect(stateOf(at('site', [api]), 'partner-sharing').status).to.equal('granted');
  });

  it('a record about a device subject is its signer speaking for itself: it meets any level', () => {
    const own = recordAt(T1, {
      subject: { kind: 'device' },
      method: 'checkbox',
      decisions: [express('partner-sharing')],
    });
    expect(stateOf([own], 'partner-sharing').status).to.equal('granted');
  });

  it('a controller sets the level per purpose: "device" takes a browser’s word, "inbox" needs the mailed link', () => {
    const lenient = variant('partner-sharing', (p) => {
      p.assurance = 'device';
    });
    expect(stateOf([grant], 'partner-sharing', {}, lenient).status).to.equal('granted');
    const strict = variant('partner-sharing', (p) => {
      p.assurance = 'inbox';
    });
    expect(stateOf(at('site', [grant]), 'partner-sharing', {}, strict).status).to.equal('pending');
    expect(stateOf(at('inbox', [grant]), 'partner-sharing', {}, strict).status).to.equal('granted');
  });
});
