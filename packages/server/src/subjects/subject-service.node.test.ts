import { describeEachStore } from '@consentkit/test-support/server';
import { expect } from 'chai';

describeEachStore('subject service', (s) => {
  let ref = '';
  before(async () => {
    ref = await s.t.enrol('erin@example.com');
  });

  const unsubscribe = () =>
    s.t.context.subjects.recordServerDecision({
      subjectRef: ref,
      decisions: [{ purpose: 'marketing', granted: false }],
      method: 'one-click-email',
      collectionPoint: { flow: 'list-unsubscribe' },
      gpc: null,
      locale: 'en',
    });

  it('resolves known refs only', async () => {
    expect((await s.t.context.subjects.resolveSubject(ref))?.ref).to.equal(ref);
    expect(await s.t.context.subjects.resolveSubject('01890000-0000-7000-8000-000000000000')).to.equal(undefined);
  });

  it('one-click: concurrent repeats make exactly one ledger-signed record and one state change (R42)', async () => {
    expect((await s.t.context.subjects.state(ref)).marketing?.status).to.equal('granted');
    const results = await Promise.all(Array.from({ length: 5 }, unsubscribe));
    expect(results.filter((r) => r.changed)).to.have.length(1);
    const made = results.find((r) => r.changed)?.recordId;
    expect(results.every((r) => r.recordId === made)).to.equal(true);
    expect((await s.t.context.subjects.state(ref)).marketing?.status).to.not.equal('granted');
    expect((await unsubscribe()).changed).to.equal(false);

    const rows = await s.db.store.query<{ kid: string; subject_ref: string }>(
      "SELECT kid, subject_ref FROM ledger_entries WHERE jws LIKE '%' ORDER BY seq DESC LIMIT 1",
    );
    expect(rows[0]).to.deep.equal({ kid: s.t.context.keyring.signer.kid, subject_ref: ref });
  });

  it('records a preference-page switch-on as express consent (an explicit click), signed by the ledger', async () => {
    const result = await s.t.context.subjects.recordServerDecision({
      subjectRef: ref,
      decisions: [{ purpose: 'marketing', granted: true }],
      method: 'preference-page',
      collectionPoint: { flow: 'preferences' },
      gpc: null,
      locale: 'en',
    });
    expect(result.changed).to.equal(true);
    const history = await s.t.context.ledger.historyOf(s.db.store, ref);
    const last = JSON.parse(Buffer.from(history.at(-1)?.jws.split('.')[1] ?? '', 'base64url').toString('utf8'));
    expect(last.decisions).to.deep.equal([
      { purpose: 'marketing', granted: true, basis: 'express', legalBasis: 'consent' },
    ]);
    expect(last).to.include({ method: 'preference-page', interaction: 'pointer' });
    expect((await s.t.context.subjects.state(ref)).marketing?.status).to.equal('granted');
  });

  it('issues tokens of at least 60 days that verify with their scope only', async () => {
    const token = await s.t.context.subjects.issueToken({ subjectRef: ref, scope: 'unsubscribe:marketing' });
    const claims = await s.t.context.subjects.verifyToken(token, { scope: 'unsubscribe:marketing' });
    expect(claims?.subject).to.equal(ref);
    expect(await s.t.context.subjects.verifyToken(token, { scope: 'preferences' })).to.equal(undefined);
    expect(await s.t.context.subjects.verifyToken(`${token}x`)).to.equal(undefined);
    let refused = false;
    try {
      await s.t.context.subjects.issueToken({ subjectRef: ref, scope: 'preferences', ttlDays: 30 });
    } catch {
      refused = true;
    }
    expect(refused).to.equal(true);
  });

  it('refuses an unknown subject or purpose', async () => {
    const attempt = async (subjectRef: string, purpose: string) => {
      try {
        await s.t.context.subjects.recordServerDecision({
          subjectRef,
          decisions: [{ purpose, granted: false }],
          method: 'preference-page',
          collectionPoint: {},
          gpc: null,
          locale: 'en',
        });
        return 'ok';
      } catch (error) {
        return (error as { code?: string }).code;
      }
    };
    expect(await attempt('01890000-0000-7000-8000-000000000000', 'marketing')).to.equal('not-found');
    expect(await attempt(ref, 'no-such-purpose')).to.equal('invalid-options');
  });
});
