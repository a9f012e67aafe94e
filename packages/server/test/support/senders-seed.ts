import { createPerson } from '@consentkit/test-support/people';
import { FORM_DECISIONS, postRecords, type TestLedger } from '@consentkit/test-support/server';
import type { ServerDecisionMethod } from '../../src/subjects/subject-service.js';

/**
 * A seeded ledger for the senders' suites: `count` people enrolled through the form (one batch),
 * then every fifth person left alone and the others opted out of marketing by one of four routes
 * the ledger itself records or ingests: the form (a device record), one-click, the preference
 * page and GPC (the server's own signed records, as the hosted pages make them).
 */
export type SeededPerson = { readonly email: string; readonly ref: string; readonly route: SeedRoute };
export type SeedRoute = 'none' | 'form' | ServerDecisionMethod;

const ROUTES: readonly SeedRoute[] = ['none', 'form', 'one-click-email', 'preference-page', 'gpc'];

export async function seedPeople(t: TestLedger, count: number, prefix: string): Promise<SeededPerson[]> {
  const people = await Promise.all(
    Array.from({ length: count }, (_, i) => createPerson({ policy: t.policy, email: `${prefix}-${i}@example.test` })),
  );
  const enrol = await Promise.all(people.map((p) => p.sign({ decisions: [...FORM_DECISIONS], jurisdiction: 'CA' })));
  const response = await postRecords(
    t.app,
    enrol.map((s) => ({ jws: s.jws, opening: s.opening })),
  );
  if (response.status !== 200) throw new Error(`seeding failed: ${response.status} ${await response.text()}`);
  const refs = await t.context.store.query<{ subject_ref: string; record_id: string }>(
    'SELECT subject_ref, record_id FROM ledger_entries WHERE record_id = ANY(ARRAY(SELECT json_array_elements_text($1::json)))',
    [JSON.stringify(enrol.map((s) => s.record.id))],
  );
  const refOf = new Map(refs.map((r) => [r.record_id, r.subject_ref]));
  const seeded: SeededPerson[] = [];
  const formOptOuts = [];
  for (const [i, person] of people.entries()) {
    const route = ROUTES[i % ROUTES.length] ?? 'none';
    const ref = refOf.get(enrol[i]?.record.id ?? '') ?? '';
    seeded.push({ email: person.email ?? '', ref, route });
    if (route === 'form') {
      formOptOuts.push(
        await person.sign({
          decisions: [{ purpose: 'marketing', granted: false, basis: 'opt-out' }],
          jurisdiction: 'CA',
        }),
      );
    } else if (route !== 'none') {
      await t.context.subjects.recordServerDecision({
        subjectRef: ref,
        decisions: [{ purpose: 'marketing', granted: false }],
        method: route,
        collectionPoint: { url: 'https://ledger.example/u', flow: route },
        gpc: route === 'gpc',
        locale: 'en',
      });
    }
  }
  if (formOptOuts.length > 0) {
    const optOut = await postRecords(
      t.app,
      formOptOuts.map((s) => ({ jws: s.jws, opening: s.opening })),
    );
    if (optOut.status !== 200) throw new Error(`seeding failed: ${optOut.status}`);
  }
  return seeded;
}
