import { type AssuredRecord, addDuration, type ConsentRecord, type Decision, evaluateConsent } from '@consentkit/core';
import { testPolicy } from '@consentkit/test-support/policy';
import { recordAt } from '@consentkit/test-support/records';
import { expect } from 'chai';
import { assessRetention } from './retention.js';

// Retention: the rule that decides when a person's proof of consent may be destroyed,
// as a pure function of the policy (allstream.json: P2Y / P1Y / P6M per purpose, P7Y for records),
// the history and an injected clock. R26 (keep proof while processing runs, no longer once it
// ends), R35 (CASL EBR expiry), R11 (withdrawal is an event, never an overwrite).
const policy = testPolicy();
const T0 = new Date('2020-03-15T10:00:00.000Z');
const at = (base: Date, duration: string) => addDuration(base, duration);

/** An unsigned record of the application form at `when` (the one fixture for histories). */
async function record(
  when: Date,
  decisions: Decision[],
  extra: Partial<Omit<ConsentRecord, 'decisions'>> = {},
): Promise<ConsentRecord> {
  return recordAt(when.toISOString(), {
    subject: { kind: 'ref', ref: '0190aaaa-0000-7000-8000-000000000001' },
    decisions,
    ...extra,
  });
}

/** The record as the site's backend posted it (site assurance): an express grant in it counts. */
const bySite = (record: ConsentRecord): AssuredRecord => ({ record, assurance: 'site' });

const apply: Decision = { purpose: 'application-processing', granted: true, basis: 'implied' };
const marketing: Decision = { purpose: 'marketing', granted: true, basis: 'opt-out' };
const share = (granted: boolean): Decision => ({ purpose: 'partner-sharing', granted, basis: 'express' });

describe('retention rule: when proof of consent may be destroyed (R26)', () => {
  it('implied consent covers the transaction: application data P2Y, then the records P7Y', async () => {
    const history = [await record(T0, [apply])];
    const keepUntil = at(at(T0, 'P2Y'), 'P7Y');
    const inside = assessRetention({ policy, history, now: new Date(keepUntil.getTime() - 1000) });
    expect(inside).to.include({ verdict: 'retained', keepUntil: keepUntil.toISOString(), records: 1 });
    expect(inside.purposes.find((p) => p.purpose === 'application-processing')).to.deep.include({
      status: 'ended',
      reason: 'transaction',
      endedAt: T0.toISOString(),
      dataUntil: at(T0, 'P2Y').toISOString(),
    });
    expect(assessRetention({ policy, history, now: keepUntil }).verdict).to.equal('expired');
  });

  it('an express grant still standing is ongoing processing: never purged, however old (R17)', async () => {
    const history = [bySite(await record(T0, [apply, share(true)]))];
    const result = assessRetention({ policy, history, now: new Date('2090-01-01T00:00:00Z') });
    expect(result.verdict).to.equal('ongoing');
    expect(result.keepUntil).to.equal(undefined);
    expect(result.purposes.find((p) => p.purpose === 'partner-sharing')?.status).to.equal('ongoing');
  });

  it('an express grant nobody vouched for (device) was never consent: it ends where it stands, awaiting assurance', async () => {
    const history = [await record(T0, [apply, share(true)])];
    const result = assessRetention({ policy, history, now: new Date('2021-01-01T00:00:00Z') });
    expect(result.verdict).to.equal('retained');
    expect(result.purposes.find((p) => p.purpose === 'partner-sharing')).to.deep.include({
      status: 'ended',
      reason: 'awaiting-assurance',
      endedAt: T0.toISOString(),
    });
  });

  it('a withdrawal ends the purpose at the withdrawal record; its own retention then runs (R11, R27)', async () => {
    const withdrawn = new Date('2021-06-01T00:00:00.000Z');
    const history = [bySite(await record(T0, [apply, share(true)])), await record(withdrawn, [share(false)])];
    const result = assessRetention({ policy, history, now: new Date('2025-01-01T00:00:00Z') });
    const sharing = result.purposes.find((p) => p.purpose === 'partner-sharing');
    expect(sharing).to.deep.include({ status: 'ended', reason: 'withdrawn', endedAt: withdrawn.toISOString() });
    expect(sharing?.dataUntil).to.equal(at(withdrawn, 'P1Y').toISOString());
    // The latest of: application P2Y after T0 (2022-03-15), sharing P1Y after the withdrawal (2022-06-01).
    expect(result.keepUntil).to.equal(at(at(withdrawn, 'P1Y'), 'P7Y').toISOString());
  });

  it('an opt-out under CASL EBR ends when the relationship expires, found to the second (R35)', async () => {
    const history = [await record(T0, [apply, marketing])];
    const result = assessRetention({ policy, history, now: new Date('2035-01-01T00:00:00Z') });
    const m = result.purposes.find((p) => p.purpose === 'marketing');
    expect(m?.status).to.equal('ended');
    expect(m?.reason).to.equal('expired');
    const expiry = at(T0, 'P24M').getTime();
    expect(Math.abs(Date.parse(m?.endedAt ?? '') - expiry)).to.be.at.most(1000);
    // Marketing outlives the application: expiry + P2Y + P7Y.
    expect(
      Math.abs(Date.parse(result.keepUntil ?? '') - at(at(new Date(expiry), 'P2Y'), 'P7Y').getTime()),
    ).to.be.at.most(1000);
  });

  it('before the EBR expires, the opt-out purpose is still ongoing', async () => {
    const history = [await record(T0, [apply, marketing])];
    expect(assessRetention({ policy, history, now: at(T0, 'P23M') }).verdict).to.equal('ongoing');
  });

  it('a standing opt-out without expiry (loyalty programme) is ongoing until the person opts out', async () => {
    const loyalty = (granted: boolean): Decision => ({ purpose: 'loyalty-programme', granted, basis: 'opt-out' });
    const standing = [await record(T0, [apply, loyalty(true)])];
    expect(assessRetention({ policy, history: standing, now: new Date('2080-01-01T00:00:00Z') }).verdict).to.equal(
      'ongoing',
    );
    const optedOut = new Date('2020-04-01T00:00:00.000Z');
    const history = [
      ...standing,
      await record(optedOut, [loyalty(false)], { method: 'one-click-email', interaction: 'none' }),
    ];
    const result = assessRetention({ policy, history, now: new Date('2080-01-01T00:00:00Z') });
    expect(result.purposes.find((p) => p.purpose === 'loyalty-programme')).to.deep.include({
      status: 'ended',
      reason: 'opted-out',
      endedAt: optedOut.toISOString(),
    });
    expect(result.verdict).to.equal('expired');
  });

  it('a record the clock has not reached yet keeps everything (never less than recordRetention after the last record)', async () => {
    const future = new Date('2031-01-01T00:00:00.000Z');
    const history = [await record(T0, [apply]), await record(future, [share(false)])];
    const now = at(at(T0, 'P2Y'), 'P7Y'); // past the first record's period, before the second's
    const result = assessRetention({ policy, history, now });
    expect(result.verdict).to.equal('retained');
    expect(result.keepUntil).to.equal(at(future, 'P7Y').toISOString());
  });

  it('the longest answer across the jurisdictions the records name wins', async () => {
    // Recorded in Germany after a sale: marketing rests on the soft opt-in there, which does not
    // expire; in the policy's home (CA) the same grant is a CASL EBR, expired after 24 months.
    const history = [await record(T0, [apply, marketing], { jurisdiction: 'DE', context: { saleRef: 'order-1' } })];
    const now = at(T0, 'P3Y');
    const ca = evaluateConsent({ policy, history, context: { jurisdiction: 'CA', now } });
    expect(ca.marketing?.reason, 'the premise: in CA the EBR has expired').to.equal('expired');
    expect(assessRetention({ policy, history, now }).verdict).to.equal('ongoing');
  });

  it('a person the ledger knows without any record keeps recordRetention from first sight', () => {
    const created = '2020-01-01T00:00:00.000Z';
    const result = assessRetention({
      policy,
      history: [],
      now: new Date('2026-06-01T00:00:00Z'),
      subjectCreatedAt: created,
    });
    expect(result).to.include({ verdict: 'retained', keepUntil: at(new Date(created), 'P7Y').toISOString() });
    const later = assessRetention({
      policy,
      history: [],
      now: new Date('2027-01-01T00:00:00Z'),
      subjectCreatedAt: created,
    });
    expect(later.verdict).to.equal('expired');
  });
});
