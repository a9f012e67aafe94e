import { evaluateConsent } from '@consentkit/core';
import { TEST_API_KEY } from '@consentkit/test-support/keys';
import { describeEachStore, dumpAllTables, issueApiKey } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { type SeededPerson, seedPeople } from '../../test/support/senders-seed.js';

type Answer = { subject: string; ref: string | null; known: boolean; state: Record<string, Record<string, unknown>> };

describeEachStore('POST /v1/senders/state (bulk "may we?")', (s) => {
  let people: SeededPerson[] = [];
  const auth = { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' };
  const ask = (body: unknown, headers: Record<string, string> = auth) =>
    s.t.app.request('/v1/senders/state', { method: 'POST', headers, body: JSON.stringify(body) });
  const purposes = ['marketing', 'application-processing', 'partner-sharing'];

  before(async () => {
    people = await seedPeople(s.t, 40, `bulk-${s.store}`);
  });

  it('answers exactly what the single query answers, for every subject of the seeded ledger (by email and by ref)', async () => {
    const unknownEmails = ['nobody-1@example.test', 'Nobody-2@Example.test'];
    const unknownRef = '01890000-0000-7000-8000-000000000000';
    const subjects = [
      ...people.map((p) => p.email.toUpperCase()),
      ...people.map((p) => p.ref),
      ...unknownEmails,
      unknownRef,
    ];
    const response = await ask({ subjects, purposes });
    expect(response.status).to.equal(200);
    const body = (await response.json()) as { answers: Answer[] };
    expect(body.answers.map((a) => a.subject)).to.deep.equal(subjects);
    for (const [i, answer] of body.answers.entries()) {
      const person = people[i % people.length];
      if (i >= 2 * people.length) {
        expect(answer.known).to.equal(false);
        expect(answer.ref).to.equal(null);
        // The rules' answer for a person with no history: the policy's default for each basis.
        const empty = evaluateConsent({ policy: s.t.policy, history: [] });
        for (const p of purposes) expect(answer.state[p]).to.deep.equal(empty[p]);
        continue;
      }
      expect(answer.known).to.equal(true);
      expect(answer.ref).to.equal(person?.ref);
      const single = await s.t.app.request(`/v1/subjects/${person?.ref}/state`, { headers: auth });
      const expected = ((await single.json()) as { state: Record<string, unknown> }).state;
      for (const p of purposes) expect(answer.state[p], `${person?.route} ${p}`).to.deep.equal(expected[p]);
    }
    // Every opt-out route shows as "no" for marketing; people left alone as "yes".
    for (const [i, person] of people.entries()) {
      const marketing = body.answers[i]?.state.marketing;
      expect(marketing?.status, person.route).to.equal(person.route === 'none' ? 'granted' : 'denied');
      expect(marketing?.recordId).to.be.a('string');
    }
  });

  it('writes one audit entry per call, with the count, and no identifier', async () => {
    const before = await s.t.context.store.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'senders.query'",
    );
    const subjects = people.slice(0, 25).map((p) => p.email);
    expect((await ask({ subjects, purposes: ['marketing'] })).status).to.equal(200);
    const rows = await s.t.context.store.query<{ detail: string; target: string | null }>(
      "SELECT detail, target FROM audit_log WHERE action = 'senders.query' ORDER BY seq",
    );
    expect(rows.length).to.equal(Number(before[0]?.n) + 1);
    const last = rows.at(-1);
    expect(JSON.parse(last?.detail ?? '{}')).to.deep.equal({ subjects: 25, known: 25, purposes: ['marketing'] });
    expect(last?.target).to.equal(null);
    const dump = await dumpAllTables(s.t.context.store);
    for (const p of people) expect(dump.includes(p.email.toLowerCase()), p.email).to.equal(false);
  });

  it('refuses bad input with a clear 4xx: over 1,000 subjects, a name that is neither, an unknown purpose, no key, wrong scope', async () => {
    const tooMany = await ask({ subjects: Array.from({ length: 1001 }, (_, i) => `p${i}@example.test`), purposes });
    expect(tooMany.status).to.equal(400);
    const neither = await ask({ subjects: ['a@example.test', 'not an address'], purposes });
    expect(neither.status).to.equal(400);
    const problem = (await neither.json()) as { code: string; detail: string };
    expect(problem.code).to.equal('invalid-subject');
    expect(problem.detail).to.include('subjects[1]');
    expect(problem.detail).to.not.include('not an address');
    const unknown = await ask({ subjects: ['a@example.test'], purposes: ['marketting'] });
    expect(unknown.status).to.equal(400);
    expect(((await unknown.json()) as { code: string }).code).to.equal('unknown-purpose');
    expect(
      (await ask({ subjects: ['a@example.test'], purposes }, { 'content-type': 'application/json' })).status,
    ).to.equal(401);
    const ingestKey = await issueApiKey(s.t.context.store, 'ingest');
    const wrongScope = await ask(
      { subjects: ['a@example.test'], purposes },
      { authorization: `Bearer ${ingestKey}`, 'content-type': 'application/json' },
    );
    expect(wrongScope.status).to.equal(403);
    const readKey = await issueApiKey(s.t.context.store, 'read');
    const ok = await ask(
      { subjects: ['a@example.test'], purposes },
      { authorization: `Bearer ${readKey}`, 'content-type': 'application/json' },
    );
    expect(ok.status).to.equal(200);
  });
});
