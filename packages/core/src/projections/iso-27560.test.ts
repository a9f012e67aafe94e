import { allstreamPolicy } from '@consentkit/test-support/policy';
import { express, implied, optOut, recordAt } from '@consentkit/test-support/records';
import { expect } from 'chai';
import { ConsentError } from '../errors.js';
import type { Policy } from '../policy.js';
import { isUuid } from '../uuid.js';
import { DPV_INVALID_STATUSES, DPV_VALID_STATUSES, dpvLegalBasis, isValidForProcessing } from './dpv.js';
import { ISO_27560_SCHEMA_VERSION, type Iso27560Record, toIso27560Record } from './iso-27560.js';
import { toIso27560Receipt } from './iso-27560-receipt.js';
import { ISO_27560_MANDATORY, missingIso27560Fields } from './iso-27560-validate.js';

const subject = { kind: 'ref', ref: 'subject-27560' } as const;

const application = recordAt('2026-11-02T10:00:00.000Z', {
  subject,
  decisions: [implied('application-processing'), optOut('marketing'), express('partner-sharing')],
});
const withdrawal = recordAt('2026-11-20T08:30:00.000Z', {
  subject,
  method: 'preference-page',
  decisions: [express('partner-sharing', false)],
});

function project(records = [application], policy: Policy | Policy[] = allstreamPolicy): Iso27560Record {
  return toIso27560Record({ records, policy });
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

describe('ISO/IEC TS 27560 projection', () => {
  it('has the four sections and every R9 mandatory field (A6, R8, R9)', () => {
    const record = project();
    expect(Object.keys(record)).to.deep.equal(['header', 'processing', 'parties', 'events']);
    expect(missingIso27560Fields(clone(record))).to.deep.equal([]);
    for (const key of ISO_27560_MANDATORY.header) expect(record.header, key).to.have.property(key);
    for (const p of record.processing) {
      for (const key of ISO_27560_MANDATORY.processing) expect(p, `${p.purposeId}.${key}`).to.have.property(key);
    }
    for (const party of record.parties) {
      for (const key of ISO_27560_MANDATORY.parties) expect(party, `${party.partyId}.${key}`).to.have.property(key);
    }
    for (const event of record.events) {
      for (const key of ISO_27560_MANDATORY.events) expect(event, `${event.eventId}.${key}`).to.have.property(key);
    }
  });

  it('fills the fields from the policy and the record', () => {
    const record = project();
    expect(record.header).to.include({
      schemaVersion: ISO_27560_SCHEMA_VERSION,
      recordId: application.id,
      piiPrincipalId: 'ref:subject-27560',
    });
    const sharing = record.processing.find((p) => p.purposeId === 'partner-sharing');
    expect(sharing).to.include({ retentionPeriod: 'P1Y', jurisdiction: 'CA', language: 'en' });
    expect(sharing?.privacyNotice).to.deep.equal({
      url: allstreamPolicy.url,
      policyId: 'allstream',
      version: '1.1',
      digest: application.policy.digest,
    });
    expect(sharing?.withdrawalMethod).to.equal(allstreamPolicy.practices.withdrawal.en);
    expect(sharing?.recipientThirdParties).to.deep.equal(['authorized-partners']);
    expect(sharing?.piiInformation[0]).to.include({
      piiType: 'Contact information',
      piiAttributeId: 'contact-information',
    });
    expect(sharing?.storageLocations).to.deep.equal(['Electronic file']);
    // "No third parties" is information too: the field is present and empty.
    expect(record.processing.find((p) => p.purposeId === 'marketing')?.recipientThirdParties).to.deep.equal([]);
    const controller = record.parties.find((p) => p.partyId === 'controller');
    expect(controller).to.include({ partyName: 'AllStream', partyType: 'dpv:DataController' });
    expect(controller?.partyAddress).to.equal('100 Example Street, Toronto ON M5V 0A1, CA');
    expect(record.parties.find((p) => p.partyId === 'authorized-partners')?.partyType).to.equal('dpv:ThirdParty');
  });

  it('fails with a clear ConsentError when the policy has no withdrawal method (A6)', () => {
    const policy: Policy = { ...allstreamPolicy, practices: { ...allstreamPolicy.practices, withdrawal: {} } };
    expect(() => project([application], policy))
      .to.throw(ConsentError, /withdrawal method/)
      .with.property('code', 'invalid-policy');
    const { withdrawal: _w, ...practices } = allstreamPolicy.practices;
    const without = { ...allstreamPolicy, practices } as unknown as Policy;
    expect(() => project([application], without)).to.throw(ConsentError, /withdrawal method/);
  });

  it('fails with a clear ConsentError when a purpose has no retention period (A6)', () => {
    for (const retention of ['', 'two years', undefined]) {
      const policy = {
        ...allstreamPolicy,
        purposes: allstreamPolicy.purposes.map((p) => (p.id === 'marketing' ? { ...p, retention } : p)),
      } as unknown as Policy;
      expect(() => project([application], policy), String(retention))
        .to.throw(ConsentError, /"marketing".*retention period/)
        .with.property('code', 'invalid-policy');
    }
  });

  it('reports each missing mandatory field by path', () => {
    const record = clone(project());
    const first = record.processing[0] as unknown as Record<string, unknown>;
    delete first.withdrawalMethod;
    first.retentionPeriod = '';
    delete (record.events[0] as unknown as Record<string, unknown>).entityId;
    delete (record.parties[0] as unknown as Record<string, unknown>).partyAddress;
    expect(missingIso27560Fields(record)).to.deep.equal([
      'processing.0.retentionPeriod',
      'processing.0.withdrawalMethod',
      'parties.0.partyAddress',
      'events.0.entityId',
    ]);
    expect(missingIso27560Fields({})).to.include.members(['header.schemaVersion', 'processing', 'parties', 'events']);
  });

  it('refuses records of a policy version it was not given, and an empty history', () => {
    const old = { ...application, policy: { ...application.policy, version: '1.0' } };
    expect(() => project([old]))
      .to.throw(ConsentError)
      .with.property('code', 'policy-mismatch');
    expect(() => project([])).to.throw(ConsentError, /empty history/);
  });

  it('refuses to mix two people in one record', () => {
    const other = recordAt('2026-11-03T00:00:00.000Z', {
      subject: { kind: 'ref', ref: 'someone-else' },
      decisions: [optOut('marketing', false)],
    });
    expect(() => project([application, other])).to.throw(ConsentError, /another subject/);
  });
});

describe('ISO/IEC TS 27560 receipt', () => {
  it('carries a receipt id and schema version, and the full record when embedded (A7, R10)', () => {
    const record = project();
    const receipt = toIso27560Receipt({ record, now: new Date('2026-11-02T10:00:05.000Z') });
    expect(isUuid(receipt.receiptId)).to.equal(true);
    expect(receipt.schemaVersion).to.equal(ISO_27560_SCHEMA_VERSION);
    expect(receipt.recordId).to.equal(record.header.recordId);
    expect(receipt.record).to.deep.equal(record);
    expect(missingIso27560Fields(clone(receipt.record))).to.deep.equal([]);
  });

  it('may carry only a reference to the record (R10)', () => {
    const receipt = toIso27560Receipt({ record: project(), embed: false, receiptId: 'rcpt-1' });
    expect(receipt).to.include({ receiptId: 'rcpt-1', schemaVersion: ISO_27560_SCHEMA_VERSION });
    expect(receipt).not.to.have.property('record');
  });

  it('refuses to embed a record that lacks mandatory fields (R10)', () => {
    const record = clone(project());
    (record.processing[0] as unknown as Record<string, unknown>).withdrawalMethod = '';
    expect(() => toIso27560Receipt({ record }))
      .to.throw(ConsentError, /withdrawalMethod/)
      .with.property('code', 'invalid-record');
  });
});

describe('ISO/IEC TS 27560 events and DPV statuses', () => {
  it('grant then withdraw gives two events and leaves the first unchanged (A8, R11)', () => {
    const before = project([application]).events.filter((e) => e.purposeId === 'partner-sharing');
    const after = project([application, withdrawal]).events.filter((e) => e.purposeId === 'partner-sharing');
    expect(after).to.have.length(2);
    expect(after[0]).to.deep.equal(before[0]);
    expect(after[0]).to.include({ eventType: 'given', eventState: 'dpv:ConsentGiven', isValidForProcessing: true });
    expect(after[1]).to.include({
      eventType: 'withdrawn',
      eventState: 'dpv:ConsentWithdrawn',
      isValidForProcessing: false,
      validityDuration: 'PT0S',
      eventTime: withdrawal.issuedAt,
      entityId: 'ref:subject-27560',
      indicationMethod: 'preference-page',
    });
  });

  it('records a refusal (an unticked express box) as ConsentRefused, a repeated grant as renewed (R12)', () => {
    const refused = recordAt('2026-11-02T10:00:00.000Z', { subject, decisions: [express('partner-sharing', false)] });
    const given = recordAt('2026-11-05T10:00:00.000Z', { subject, decisions: [express('partner-sharing')] });
    const again = recordAt('2026-12-05T10:00:00.000Z', { subject, decisions: [express('partner-sharing')] });
    const events = project([refused, given, again]).events;
    expect(events.map((e) => e.eventState)).to.deep.equal([
      'dpv:ConsentRefused',
      'dpv:ConsentGiven',
      'dpv:RenewedConsentGiven',
    ]);
    expect(events.map((e) => e.isValidForProcessing)).to.deep.equal([false, true, true]);
  });

  it('marks an express "yes" without an affirmative act as invalidated, not given (R16, R12)', () => {
    const scripted = recordAt('2026-11-02T10:00:00.000Z', {
      subject,
      interaction: 'programmatic',
      decisions: [express('partner-sharing')],
    });
    const [event] = project([scripted]).events;
    expect(event).to.include({ eventState: 'dpv:ConsentInvalidated', isValidForProcessing: false });
  });

  it('gives CASL implied consent its expiry and other grants no fixed end (R35)', () => {
    const ebr = recordAt('2026-11-02T10:00:00.000Z', {
      subject,
      decisions: [optOut('marketing', true, { legalBasis: 'casl-implied-ebr' })],
      context: { relationship: 'inquiry' },
    });
    expect(project([ebr]).events[0]?.validityDuration).to.equal('P6M');
    expect(project().events.find((e) => e.purposeId === 'partner-sharing')?.validityDuration).to.equal(
      'until-withdrawn',
    );
  });

  it('carries the ledger receive time and key id when given', () => {
    const record = toIso27560Record({
      records: [application],
      policy: allstreamPolicy,
      ledger: { [application.id]: { receivedAt: '2026-11-02T10:00:01.000Z', kid: 'ledger-1' } },
    });
    expect(record.events[0]).to.include({ receivedAt: '2026-11-02T10:00:01.000Z', ledgerKid: 'ledger-1' });
  });

  it('isValidForProcessing is true only for ConsentGiven and RenewedConsentGiven (A8, R12)', () => {
    expect(DPV_VALID_STATUSES).to.deep.equal(['ConsentGiven', 'RenewedConsentGiven']);
    for (const status of DPV_VALID_STATUSES) {
      expect(isValidForProcessing(status), status).to.equal(true);
      expect(isValidForProcessing(`dpv:${status}`), status).to.equal(true);
    }
    expect(DPV_INVALID_STATUSES).to.have.length(8);
    for (const status of DPV_INVALID_STATUSES) expect(isValidForProcessing(status), status).to.equal(false);
    expect(isValidForProcessing('Consent')).to.equal(false);
  });
});

describe('DPV legal basis mapping', () => {
  it('never calls an opt-out expressed consent; an express click is ExpressedConsent (A9, R13, R37)', () => {
    for (const legalBasis of ['consent', 'implied-consent', 'casl-implied-ebr'] as const) {
      expect(dpvLegalBasis({ basis: 'opt-out', legalBasis }), legalBasis).to.equal('dpv:ImpliedConsent');
    }
    expect(dpvLegalBasis({ basis: 'opt-out', legalBasis: 'soft-opt-in' })).to.equal('dpv:LegitimateInterest');
    expect(dpvLegalBasis({ basis: 'express', legalBasis: 'consent' })).to.equal('dpv:ExpressedConsent');
    expect(dpvLegalBasis({ basis: 'express', legalBasis: 'consent', consentOnly: true })).to.equal(
      'dpv:ExplicitlyExpressedConsent',
    );
    expect(dpvLegalBasis({ basis: 'implied', legalBasis: 'contract' })).to.equal('dpv:Contract');
    expect(dpvLegalBasis({ basis: 'implied', legalBasis: 'implied-consent' })).to.equal('dpv:ImpliedConsent');
    expect(dpvLegalBasis({ basis: 'opt-out', legalBasis: 'legitimate-interest' })).to.equal('dpv:LegitimateInterest');
    expect(dpvLegalBasis({ basis: 'express', legalBasis: 'legal-obligation' })).to.equal('dpv:LegalObligation');
  });

  it('puts the mapping on the projected events and processing (A9)', () => {
    const events = project().events;
    const byPurpose = Object.fromEntries(events.map((e) => [e.purposeId, e.lawfulBasis]));
    expect(byPurpose.marketing).to.equal('dpv:ImpliedConsent');
    expect(byPurpose.marketing).not.to.equal('dpv:ExpressedConsent');
    expect(byPurpose['partner-sharing']).to.equal('dpv:ExpressedConsent');
    const click = recordAt('2026-11-02T10:00:00.000Z', {
      subject,
      method: 'checkbox',
      decisions: [express('partner-sharing')],
    });
    expect(project([click]).events[0]?.lawfulBasis).to.equal('dpv:ExplicitlyExpressedConsent');
    // In a GDPR country the same policy's marketing rests on soft opt-in, never on consent.
    const gdpr = recordAt('2026-11-02T10:00:00.000Z', {
      subject,
      jurisdiction: 'DE',
      decisions: [optOut('marketing', true, { legalBasis: 'soft-opt-in' })],
      context: { saleRef: 'order-1' },
    });
    const projected = project([gdpr]);
    expect(projected.events[0]?.lawfulBasis).to.equal('dpv:LegitimateInterest');
    expect(projected.processing[0]).to.include({ legalBasisDetail: 'soft-opt-in', jurisdiction: 'DE' });
  });
});
