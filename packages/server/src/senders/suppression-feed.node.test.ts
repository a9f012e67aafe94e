import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_API_KEY } from '@consentkit/test-support/keys';
import { createPerson } from '@consentkit/test-support/people';
import {
  createTestDatabase,
  createTestLedger,
  describeEachStore,
  issueApiKey,
  postRecords,
  type TestLedger,
} from '@consentkit/test-support/server';
import { expect } from 'chai';
import { type SeededPerson, seedPeople } from '../../test/support/senders-seed.js';
import { createPgliteStore } from '../platform/store/pglite-store.js';
import { createPostgresStore } from '../platform/store/postgres-store.js';
import type { Store } from '../platform/store/store.js';
import { emailSha256 } from './suppression-feed.js';

type Change = { seq: number; subject: string; change: string; email?: string | null; emailSha256: string | null };
type Page = { changes: Change[]; cursor: string; more: boolean };

const feed = async (t: TestLedger, query: string, key = TEST_API_KEY) => {
  const response = await t.app.request(`/v1/senders/suppressions?${query}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  return { status: response.status, body: (await response.json()) as Page & { code?: string } };
};

/** Every page from `cursor` on, `limit` entries at a time, until the feed says there is no more. */
async function drain(t: TestLedger, limit: number, cursor?: string) {
  const changes: Change[] = [];
  let at = cursor;
  for (;;) {
    const page = await feed(t, `purpose=marketing&limit=${limit}${at ? `&cursor=${encodeURIComponent(at)}` : ''}`);
    expect(page.status).to.equal(200);
    changes.push(...page.body.changes);
    at = page.body.cursor;
    if (!page.body.more) return { changes, cursor: at };
  }
}

describeEachStore('GET /v1/senders/suppressions', (s) => {
  let people: SeededPerson[] = [];
  before(async () => {
    people = await seedPeople(s.t, 30, `feed-${s.store}`);
  });

  it('pages every change once, in ledger order, with the address for an admin/suppressions key', async () => {
    const { changes } = await drain(s.t, 7);
    const optedOut = people.filter((p) => p.route !== 'none');
    const emails = (change: string) =>
      changes
        .filter((c) => c.change === change)
        .map((c) => c.email)
        .sort();
    // Enrolment makes everyone mailable (from "never presented"); each opt-out route then suppresses.
    expect(emails('allow')).to.deep.equal(people.map((p) => p.email).sort());
    expect(emails('suppress')).to.deep.equal(optedOut.map((p) => p.email).sort());
    const seqs = changes.map((c) => c.seq);
    expect(seqs).to.deep.equal([...seqs].sort((a, b) => a - b));
    for (const c of changes) expect(c.emailSha256).to.equal(emailSha256(c.email ?? ''));
  });

  it('a read key gets the SHA-256 only, a suppressions key the address; each page is audited without identifiers', async () => {
    const read = await issueApiKey(s.t.context.store, 'read');
    const hashed = await feed(s.t, 'purpose=marketing', read);
    expect(hashed.status).to.equal(200);
    expect(hashed.body.changes.length).to.be.greaterThan(0);
    for (const c of hashed.body.changes) {
      expect(c).to.not.have.property('email');
      expect(c.emailSha256).to.match(/^[0-9a-f]{64}$/);
    }
    expect((await feed(s.t, 'purpose=marketing&identifiers=email', read)).status).to.equal(403);
    const suppressions = await issueApiKey(s.t.context.store, 'suppressions');
    const clear = await feed(s.t, 'purpose=marketing', suppressions);
    expect(clear.body.changes[0]?.email).to.match(/@example\.test$/);
    const ingest = await issueApiKey(s.t.context.store, 'ingest');
    expect((await feed(s.t, 'purpose=marketing', ingest)).status).to.equal(403);
    // A suppressions key is for the feed only: it reads no one's history.
    const history = await s.t.app.request(`/v1/subjects/${people[0]?.ref}/state`, {
      headers: { authorization: `Bearer ${suppressions}` },
    });
    expect(history.status).to.equal(403);
    const audit = await s.t.context.store.query<{ detail: string }>(
      "SELECT detail FROM audit_log WHERE action = 'senders.suppressions'",
    );
    expect(audit.length).to.be.greaterThan(2);
    for (const row of audit) expect(row.detail).to.not.include('@');
  });

  it('a person who opts in again appears as "allow" on the page after the cursor, and only there', async () => {
    const first = await drain(s.t, 50);
    const back = people.find((p) => p.route === 'preference-page');
    await s.t.context.subjects.recordServerDecision({
      subjectRef: back?.ref ?? '',
      decisions: [{ purpose: 'marketing', granted: true }],
      method: 'preference-page',
      collectionPoint: { url: 'https://ledger.example/p', flow: 'preferences' },
      gpc: null,
      locale: 'en',
    });
    const next = await drain(s.t, 50, first.cursor);
    expect(next.changes.map((c) => [c.email, c.change])).to.deep.equal([[back?.email, 'allow']]);
    expect((await drain(s.t, 50, next.cursor)).changes).to.deep.equal([]);
  });

  it('stays consistent while the ledger grows: pages read during racing appends equal one read afterwards', async () => {
    const start = (await drain(s.t, 100)).cursor;
    const racers = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        createPerson({ policy: s.t.policy, email: `race-${s.store}-${i}@example.test` }),
      ),
    );
    const appends = (async () => {
      for (const person of racers) {
        const granted = await person.sign({
          decisions: [{ purpose: 'marketing', granted: true, basis: 'opt-out' }],
          jurisdiction: 'CA',
        });
        const out = await person.sign({
          decisions: [{ purpose: 'marketing', granted: false, basis: 'opt-out' }],
          jurisdiction: 'CA',
        });
        // Each batch in its own request: the appends interleave with the pages below.
        await postRecords(s.t.app, [{ jws: granted.jws, opening: granted.opening }]);
        await postRecords(s.t.app, [{ jws: out.jws, opening: out.opening }]);
      }
    })();
    const paged: Change[] = [];
    let cursor = start;
    let appending = true;
    void appends.finally(() => {
      appending = false;
    });
    // Page (3 entries at a time) until the appends are done and the feed has caught up.
    for (;;) {
      const page = await feed(s.t, `purpose=marketing&limit=3&cursor=${encodeURIComponent(cursor)}`);
      paged.push(...page.body.changes);
      cursor = page.body.cursor;
      if (!appending && !page.body.more) break;
      // Let the appends' own I/O and group commits run between pages (PGlite shares this thread).
      await new Promise((resolve) => setImmediate(resolve));
    }
    await appends;
    const tail = await drain(s.t, 3, cursor);
    paged.push(...tail.changes);
    const once = await drain(s.t, 5000, start);
    expect(paged).to.deep.equal(once.changes);
    // Each racer: allowed by the first record, suppressed by the second; 48 changes in all.
    expect(once.changes.map((c) => `${c.email} ${c.change}`).sort()).to.deep.equal(
      racers.flatMap((p) => [`${p.email} allow`, `${p.email} suppress`]).sort(),
    );
    expect(new Set(paged.map((c) => c.seq)).size).to.equal(paged.length);
  });

  it('refuses an altered, foreign or malformed cursor, and an unknown purpose, with a 400 that says what to do', async () => {
    const { cursor } = await drain(s.t, 100);
    const [prefix, body, tag] = cursor.split('.');
    const forged = `${prefix}.${Buffer.from(JSON.stringify({ p: 'marketing', s: 1 })).toString('base64url')}.${tag}`;
    for (const bad of [forged, `${prefix}.${body}.AAAA`, 'c1.not-json.x', '42', 'c1..']) {
      const page = await feed(s.t, `purpose=marketing&cursor=${encodeURIComponent(bad)}`);
      expect(page.status, bad).to.equal(400);
      expect(page.body.code).to.equal('invalid-cursor');
    }
    const other = await feed(s.t, `purpose=loyalty-programme&cursor=${encodeURIComponent(cursor)}`);
    expect(other.status).to.equal(400);
    expect(other.body.code).to.equal('invalid-cursor');
    const unknown = await feed(s.t, 'purpose=marketting');
    expect(unknown.status).to.equal(400);
    expect(unknown.body.code).to.equal('unknown-purpose');
    expect((await feed(s.t, 'purpose=marketing&limit=0')).status).to.equal(400);
  });
});

/** The same ledger opened twice, as a restarted server would: a PGlite folder, a PostgreSQL database. */
const restartTargets: Array<{ name: string; make(): Promise<{ open(): Promise<Store>; drop(): Promise<void> }> }> = [
  {
    name: 'pglite',
    async make() {
      const dataDir = mkdtempSync(join(tmpdir(), 'ck-feed-'));
      return {
        open: () => createPgliteStore({ dataDir }),
        drop: async () => rmSync(dataDir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'postgres',
    async make() {
      const db = await createTestDatabase();
      return { open: async () => createPostgresStore({ connectionString: db.url }), drop: () => db.drop() };
    },
  },
];

for (const target of restartTargets) {
  describe(`the suppression feed across a restart (${target.name})`, () => {
    it('a cursor from before the restart resumes exactly after it', async () => {
      const place = await target.make();
      try {
        let store = await place.open();
        let t = await createTestLedger(store);
        const people = await seedPeople(t, 10, `restart-${target.name}`);
        const half = await feed(t, 'purpose=marketing&limit=6');
        await store.close();

        store = await place.open();
        t = await createTestLedger(store);
        const rest: Change[] = [];
        let cursor = half.body.cursor;
        for (;;) {
          const page = await feed(t, `purpose=marketing&limit=6&cursor=${encodeURIComponent(cursor)}`);
          expect(page.status).to.equal(200);
          rest.push(...page.body.changes);
          cursor = page.body.cursor;
          if (!page.body.more) break;
        }
        const all = [...half.body.changes, ...rest].filter((c) => c.change === 'suppress').map((c) => c.email);
        expect(all.sort()).to.deep.equal(
          people
            .filter((p) => p.route !== 'none')
            .map((p) => p.email)
            .sort(),
        );
        expect(half.body.changes.length).to.be.greaterThan(0);
        expect(rest.length).to.be.greaterThan(0);
        await store.close();
      } finally {
        await place.drop();
      }
    });
  });
}
