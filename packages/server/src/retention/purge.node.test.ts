import { addDuration, type CreateRecordInput, decodeJws, type Signer } from '@consentkit/core';
import { createTestSigner, TEST_API_KEY } from '@consentkit/test-support/keys';
import { describeOnDisk, dumpAllTables, postRecords, signedRecord } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { listAudit, verifyAudit } from '../access/audit-log.js';
import { subjectKeyFor } from '../platform/crypto/subject-keys.js';
import { purgeExpired } from './purge.js';
import { listDeletionReceipts, verifyDeletionReceipt } from './purge-receipt.js';

// Retention: `purgeExpired` with an injected clock against PGlite (on disk, so its files
// can be searched) and PostgreSQL. Three people, all with records made long ago (records carry
// their own time; the ledger accepts history imported late):
// - EXPIRED applied in 2010 and nothing else: application data P2Y, then records P7Y → gone in 2019.
// - RETAINED applied with marketing left on: the CASL EBR ends after 24 months, then marketing's P2Y
//   and P7Y → kept until about 2033 (inside retention at NOW).
// - ONGOING gave express consent to partner sharing in 2005 and never withdrew it → never purged.
const EXPIRED = 'Old.Applicant@Example.com';
const RETAINED = 'recent.applicant@example.com';
const ONGOING = 'still.sharing@example.com';
const APPLIED_EXPIRED = new Date('2010-05-01T09:00:00.000Z');
const APPLIED_RETAINED = new Date('2022-01-10T09:00:00.000Z');
const GRANTED_ONGOING = new Date('2005-02-01T09:00:00.000Z');
const NOW = new Date('2026-06-01T00:00:00.000Z');

describeOnDisk('retention purge', (d) => {
  let signer: Signer;
  let prev: string | null = null;
  const refs: Record<string, string> = {};
  // What a backup taken before the purge would hold of the expired person.
  let sealedBefore: { record_id: string; sealed: string }[] = [];
  const auth = { authorization: `Bearer ${TEST_API_KEY}` };
  const stateOf = (email: string) =>
    d.t.app.request(`/v1/subjects/${encodeURIComponent(email)}/state`, { headers: auth });

  async function submit(email: string, now: Date, decisions: CreateRecordInput['decisions']) {
    const signed = await signedRecord({ signer, policy: d.t.policy, prev, email, decisions, override: { now } });
    // The site's backend posts them (site assurance): the express grant counts, so it is ongoing.
    const response = await postRecords(d.t.app, [{ jws: signed.jws, opening: signed.opening }], auth);
    expect(response.status, await response.clone().text()).to.equal(200);
    prev = signed.digest;
  }

  before(async () => {
    signer = await createTestSigner();
    const apply = { purpose: 'application-processing', granted: true, basis: 'implied' } as const;
    await submit(EXPIRED, APPLIED_EXPIRED, [apply]);
    await submit(RETAINED, APPLIED_RETAINED, [apply, { purpose: 'marketing', granted: true, basis: 'opt-out' }]);
    await submit(ONGOING, GRANTED_ONGOING, [apply, { purpose: 'partner-sharing', granted: true, basis: 'express' }]);
    // A second record for the expired person: two openings, both must go.
    await submit(EXPIRED, addDuration(APPLIED_EXPIRED, 'P1M'), [apply]);
    for (const email of [EXPIRED, RETAINED, ONGOING]) {
      refs[email] = ((await (await stateOf(email)).json()) as { subject: string }).subject;
    }
  });

  it('dry run lists who would go (refs and counts, no identifier) and changes nothing', async () => {
    const before = await dumpAllTables(d.disk.store);
    // The premise of the later searches: before the purge the person is findable by blind index.
    const index = await d.t.context.keyring.blindIndex(`email:${EXPIRED.toLowerCase()}`);
    expect(before.includes(index.toLowerCase()), 'the blind index is there before').to.equal(true);
    sealedBefore = await d.disk.store.query('SELECT record_id, sealed FROM openings WHERE subject_ref = $1', [
      refs[EXPIRED] ?? null,
    ]);
    expect(sealedBefore).to.have.length(2);
    const report = await purgeExpired(d.t.context, { now: NOW, dryRun: true, actor: 'test' });
    expect(report.dryRun).to.equal(true);
    expect(report.receipt).to.equal(undefined);
    expect(report.subjects.map((s) => s.subjectRef)).to.deep.equal([refs[EXPIRED]]);
    expect(report.subjects[0]).to.deep.include({ records: 2, openings: 2, commitments: 2, dataKeys: 1 });
    expect(report.counts).to.deep.include({ examined: 3, ongoing: 1, retained: 1, destroyed: 1 });
    expect(JSON.stringify(report).toLowerCase()).to.not.include('applicant');
    expect(await dumpAllTables(d.disk.store), 'the database after a dry run').to.equal(before);
  });

  it('purges only the person past retention, writes a receipt and audits it', async () => {
    const auditBefore = (await listAudit(d.disk.store)).length;
    const report = await purgeExpired(d.t.context, { now: NOW, actor: 'test-operator' });
    expect(report.dryRun).to.equal(false);
    expect(report.subjects).to.have.length(1);
    expect(report.subjects[0]).to.deep.include({
      subjectRef: refs[EXPIRED],
      records: 2,
      openings: 2,
      commitments: 2,
      dataKeys: 1,
    });
    // Application P2Y after the last submission, then P7Y for the records.
    const lastApplied = addDuration(APPLIED_EXPIRED, 'P1M');
    expect(report.subjects[0]?.keepUntil).to.equal(addDuration(addDuration(lastApplied, 'P2Y'), 'P7Y').toISOString());
    expect(report.counts).to.deep.include({ examined: 3, ongoing: 1, retained: 1, destroyed: 1, openings: 2 });
    const audit = (await listAudit(d.disk.store)).slice(auditBefore);
    expect(audit.map((e) => [e.action, e.target])).to.deep.equal([
      ['subject.erase', refs[EXPIRED]],
      ['retention.purge', null],
    ]);
    expect(audit[0]?.detail).to.deep.include({ reason: 'retention', receipt: report.receipt?.id, openings: 2 });
    expect(audit[1]).to.deep.include({ actor: 'test-operator', seq: report.receipt?.auditSeq });
    expect((await verifyAudit(d.disk.store)).ok).to.equal(true);
  });

  it('the purged person is unknown (404); the others answer as before', async () => {
    for (const path of [
      `/v1/subjects/${encodeURIComponent(EXPIRED)}/state`,
      `/v1/subjects/${refs[EXPIRED]}/state`,
      `/v1/subjects/${refs[EXPIRED]}/records`,
    ]) {
      expect((await d.t.app.request(path, { headers: auth })).status, path).to.equal(404);
    }
    const retained = (await (await stateOf(RETAINED)).json()) as { subject: string };
    expect(retained.subject).to.equal(refs[RETAINED]);
    const ongoing = (await (await stateOf(ONGOING)).json()) as {
      state: Record<string, { status: string }>;
    };
    expect(ongoing.state['partner-sharing']?.status).to.equal('granted');
    for (const email of [RETAINED, ONGOING]) {
      const rows = await d.disk.store.query('SELECT record_id FROM openings WHERE subject_ref = $1', [
        refs[email] ?? null,
      ]);
      expect(rows, email).to.have.length(1);
    }
  });

  it('the deletion receipt verifies against /.well-known/jwks.json and names no identifier', async () => {
    const [stored] = await listDeletionReceipts(d.disk.store);
    expect(stored).to.not.equal(undefined);
    const jwks = (await (await d.t.app.request('/.well-known/jwks.json')).json()) as {
      keys: Parameters<typeof verifyDeletionReceipt>[1];
    };
    const claims = await verifyDeletionReceipt(stored?.jws ?? '', jwks.keys);
    expect(claims).to.deep.include({ receiptId: stored?.id, purgedAt: NOW.toISOString() });
    expect(claims.policy).to.deep.equal({
      id: d.t.policy.id,
      version: d.t.policy.version,
      digest: d.t.context.policies.currentDigest,
    });
    expect(claims.criteria).to.deep.include({ recordRetention: 'P7Y' });
    expect(claims.criteria.purposes).to.include({ 'application-processing': 'P2Y', 'partner-sharing': 'P1Y' });
    expect(claims.subjects.map((s) => s.subjectRef)).to.deep.equal([refs[EXPIRED]]);
    expect(claims.ledgerHead.seq).to.equal(4);
    expect(stored?.jws.toLowerCase()).to.not.include('applicant');
    expect(
      Buffer.from(decodeJws(stored?.jws ?? '').payload)
        .toString()
        .toLowerCase(),
    ).to.not.include('applicant');
    // A changed receipt does not verify.
    const [h, p, s] = (stored?.jws ?? '').split('.');
    const forged = JSON.parse(Buffer.from(p ?? '', 'base64url').toString()) as { subjects: unknown[] };
    forged.subjects = [];
    const tampered = `${h}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${s}`;
    await verifyDeletionReceipt(tampered, jwks.keys).then(
      () => expect.fail('a tampered receipt verified'),
      () => {},
    );
  });

  it('crypto-shredding: a copy of the purged openings opens with no key the ledger still holds', async () => {
    const wrapping = d.t.context.keyring.openingBox.box;
    const kept = await subjectKeyFor(d.disk.store, wrapping, refs[RETAINED] ?? '');
    for (const copy of sealedBefore) {
      for (const box of [wrapping, kept.box]) {
        await box.open(copy.sealed, `opening:${copy.record_id}`).then(
          () => expect.fail('a shredded opening opened'),
          () => {},
        );
      }
    }
    const keys = await d.disk.store.query('SELECT subject_ref FROM subject_keys WHERE subject_ref = $1', [
      refs[EXPIRED] ?? null,
    ]);
    expect(keys).to.have.length(0);
  });

  it('the ledger still verifies end to end with every record kept', async () => {
    expect(await d.t.verify()).to.deep.include({ ok: true, count: 4 });
  });

  it('a second run destroys nothing more and still leaves a receipt (evidence of the review)', async () => {
    const report = await purgeExpired(d.t.context, { now: NOW, actor: 'test' });
    expect(report.subjects).to.deep.equal([]);
    expect(report.counts).to.deep.include({ examined: 2, destroyed: 0 });
    expect(await listDeletionReceipts(d.disk.store)).to.have.length(2);
  });

  it('once its time comes, the retained person goes too; the ongoing one never', async () => {
    const later = new Date('2040-01-01T00:00:00.000Z');
    const report = await purgeExpired(d.t.context, { now: later, actor: 'test' });
    expect(report.subjects.map((s) => s.subjectRef)).to.deep.equal([refs[RETAINED]]);
    const far = await purgeExpired(d.t.context, { now: new Date('2199-01-01T00:00:00.000Z'), actor: 'test' });
    expect(far.counts).to.deep.include({ examined: 1, ongoing: 1, destroyed: 0 });
    expect((await stateOf(ONGOING)).status).to.equal(200);
  });

  it('the purged addresses are in no table and, on PGlite, in no file of the data folder', async () => {
    // The purged people's blind indexes are in no table (a deleted row stays in PostgreSQL's files
    // until VACUUM: the README's stated limit); their addresses are nowhere, and the ongoing
    // person's address, kept sealed, is not in clear either.
    const dump = await dumpAllTables(d.disk.store);
    for (const email of [EXPIRED, RETAINED]) {
      const index = await d.t.context.keyring.blindIndex(`email:${email.toLowerCase()}`);
      expect(dump.includes(index.toLowerCase()), `blind index of ${email}`).to.equal(false);
    }
    expect(await d.leftovers([ONGOING, EXPIRED, 'old.applicant', RETAINED])).to.deep.equal([]);
  });
});
