import {
  canonicalize,
  createRecord,
  type Decision,
  effectivePurpose,
  findPurpose,
  type Purpose,
} from '@consentkit/core';
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

  it('signs the records createRecord makes from the whole policy (its reference and legal bases), for every purpose, method and jurisdiction', async () => {
    const { policy } = s.t.context.subjects;
    const methods = ['one-click-email', 'preference-page', 'gpc', 'email-provider'] as const;
    for (const jurisdiction of [undefined, 'DE', 'US-CA', 'CA']) {
      for (const method of methods) {
        for (const granted of [false, true]) {
          const decisions = policy.purposes
            .filter((p) => !p.primary)
            .map((p) => ({ purpose: p.id, granted, wording: `words for ${p.id}` }));
          const who = await s.t.enrol(`policy-${method}-${granted}-${jurisdiction ?? 'none'}@example.com`);
          let result: Awaited<ReturnType<typeof s.t.context.subjects.recordServerDecision>>;
          try {
            result = await s.t.context.subjects.recordServerDecision({
              subjectRef: who,
              decisions,
              method,
              collectionPoint: { flow: 'test' },
              gpc: null,
              locale: 'en',
              ...(jurisdiction === undefined ? {} : { jurisdiction }),
            });
          } catch (error) {
            // A record the rules refuse (a GDPR opt-out grant claiming consent) is refused by
            // createRecord from the whole policy too: the same error, whatever the policy form.
            const expected = await createRecord({
              subject: { kind: 'ref', ref: who },
              policy,
              decisions: decisions.map((d) =>
                method === 'preference-page' && d.granted
                  ? { purpose: d.purpose, granted: true, basis: 'express' as const, legalBasis: 'consent' as const }
                  : {
                      purpose: d.purpose,
                      granted: d.granted,
                      basis: effectivePurpose(
                        findPurpose(policy, d.purpose) as Purpose,
                        jurisdiction ?? policy.jurisdiction,
                      ).basis,
                    },
              ),
              method,
              interaction: method === 'preference-page' ? 'pointer' : 'none',
              collectionPoint: { flow: 'test' },
              locale: 'en',
              ...(jurisdiction === undefined ? {} : { jurisdiction }),
            }).then(
              () => 'made',
              (e: { code?: string }) => e.code,
            );
            expect({ method, granted, jurisdiction, code: (error as { code?: string }).code }).to.deep.equal({
              method,
              granted,
              jurisdiction,
              code: expected,
            });
            continue;
          }
          const [entry] = (await s.t.context.ledger.historyOf(s.db.store, who)).slice(-1);
          const stored = JSON.parse(Buffer.from(entry?.jws.split('.')[1] ?? '', 'base64url').toString('utf8'));
          expect(stored.id).to.equal(result.recordId);
          const fromPolicy = await createRecord({
            subject: stored.subject,
            policy,
            decisions: stored.decisions.map(({ legalBasis: _dropped, ...d }: Decision) =>
              method === 'preference-page' && d.granted ? { ...d, legalBasis: 'consent' } : d,
            ),
            method,
            ...(stored.interaction === undefined ? {} : { interaction: stored.interaction }),
            collectionPoint: stored.collectionPoint,
            locale: stored.locale,
            ...(jurisdiction === undefined ? {} : { jurisdiction }),
            gpc: stored.gpc,
            prev: stored.prev,
            id: stored.id,
            now: new Date(stored.issuedAt),
          });
          expect(canonicalize(stored)).to.equal(canonicalize(fromPolicy));
        }
      }
    }
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
