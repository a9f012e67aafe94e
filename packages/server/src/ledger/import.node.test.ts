import { expect } from 'chai';
import { createApiKey } from '../access/api-keys.js';
import { verifyAudit } from '../audit/audit-log.js';
import type { Store } from '../store/store.js';
import {
  createDeviceSigner,
  createTestLedger,
  postRecords,
  signedRecord,
  TEST_API_KEY,
  TEST_MASTER_KEY,
  type TestLedger,
} from '../test/ledger-fixture.js';
import { type StoreFactory, storeFactories, type TestStore } from '../test/stores.js';
import { exportBackup } from './export.js';
import { importBackup } from './import.js';
import { verifyLedger } from './verify-ledger.js';

// Issue 7 "Backup and restore": a backup taken from one store kind restores into the other, verifies,
// and answers the same state queries by email; a damaged backup is refused and leaves nothing behind.

const [ADA, BO, CYD, ERASED] = [
  'ada@example.com',
  'Bo.Chen@Example.com',
  'cyd@example.com',
  'erased@example.com',
] as const;
const PEOPLE = [ADA, BO, CYD, ERASED];
const TABLES = [
  'ledger_entries',
  'subjects',
  'commitments',
  'openings',
  'subject_keys',
  'checkpoints',
  'audit_log',
  'api_keys',
];

async function* linesOf(text: string): AsyncGenerator<string> {
  for (const line of text.split('\n')) yield line;
}

async function collect(store: Store, t: TestLedger): Promise<string> {
  let text = '';
  for await (const line of exportBackup({ store, ledger: t.context.ledger, pageSize: 3 })) text += line;
  return text;
}

const get = (t: TestLedger, path: string) =>
  t.app.request(path, { headers: { authorization: `Bearer ${TEST_API_KEY}` } });

/** What a privacy officer would ask of the ledger, per person: state and history (by email). */
async function answers(t: TestLedger): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const email of PEOPLE) {
    const state = await get(t, `/v1/subjects/${encodeURIComponent(email)}/state`);
    const records = await get(t, `/v1/subjects/${encodeURIComponent(email)}/records`);
    out.push({ email, status: state.status, state: state.status === 200 ? await state.json() : null });
    out.push({ email, records: records.status === 200 ? await records.json() : records.status });
  }
  return out;
}

async function rowCounts(store: Store): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    counts[table] = Number((await store.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0]?.n);
  }
  return counts;
}

/** A ledger with some history: device records with openings, a chained second record, a
 * preference-page change signed by the ledger, an erasure, audited reads, an API key, checkpoints. */
async function populate(t: TestLedger, store: Store): Promise<void> {
  const signer = await createDeviceSigner();
  let prev: string | null = null;
  for (const email of PEOPLE) {
    const signed = await signedRecord({ signer, policy: t.policy, prev, email });
    const response = await postRecords(t.app, [{ jws: signed.jws, opening: signed.opening }]);
    expect(((await response.json()) as { results: { status: string }[] }).results[0]?.status).to.equal('accepted');
    prev = signed.digest;
  }
  const again = await signedRecord({
    signer,
    policy: t.policy,
    prev,
    email: ADA,
    decisions: [{ purpose: 'marketing', granted: false, basis: 'opt-out' }],
  });
  await postRecords(t.app, [{ jws: again.jws, opening: again.opening }]);
  const bo = (await (await get(t, `/v1/subjects/${encodeURIComponent(BO)}/state`)).json()) as {
    subject: string;
  };
  await t.context.subjects.recordServerDecision({
    subjectRef: bo.subject,
    decisions: [{ purpose: 'marketing', granted: false }],
    method: 'preference-page',
    collectionPoint: { url: 'https://ledger.example/p', flow: 'preference-page' },
    gpc: null,
    locale: 'fr',
  });
  const erase = await t.app.request(`/v1/subjects/${encodeURIComponent(ERASED)}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${TEST_API_KEY}` },
  });
  expect(erase.status).to.equal(200);
  await createApiKey(store, { name: 'backup-test', scope: 'read' });
}

const factories = storeFactories();
const other = (f: StoreFactory) => factories.find((g) => g.name !== f.name) as StoreFactory;

for (const factory of factories) {
  describe(`backup export → import (${factory.name} → ${other(factory).name})`, () => {
    let source: TestStore;
    let t: TestLedger;
    let backup = '';
    before(async () => {
      source = await factory.create();
      t = await createTestLedger(source.store, { checkpointEvery: 2 });
      await populate(t, source.store);
      backup = await collect(source.store, t);
    });
    after(() => source.close());

    it('writes a header, typed lines and an end line with the counts', () => {
      const lines = backup
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as { type: string; counts?: object });
      expect(lines[0]).to.include({ type: 'header', format: 'consentkit-backup', version: 1 });
      expect(lines.at(-1)?.type).to.equal('end');
      const types = new Set(lines.map((l) => l.type));
      for (const type of [
        'key',
        'policy',
        'api-key',
        'subject',
        'subject-key',
        'commitment',
        'entry',
        'opening',
        'checkpoint',
        'audit',
      ]) {
        expect(types, type).to.include(type);
      }
      // Only ciphertext: no identifier in clear anywhere in the file.
      for (const email of PEOPLE) expect(backup.toLowerCase()).to.not.include(email.toLowerCase());
      expect(lines[0]?.counts).to.deep.equal(lines.at(-1)?.counts);
    });

    it('restores into an empty store of the other kind: same rows, verifies, same answers by email', async () => {
      const target = await other(factory).create();
      try {
        const result = await importBackup({ store: target.store, masterKey: TEST_MASTER_KEY, lines: linesOf(backup) });
        expect(result, JSON.stringify(result)).to.include({ ok: true, ledgerHead: 6 });
        const restored = await createTestLedger(target.store);
        const verified = await verifyLedger({
          store: target.store,
          ledger: restored.context.ledger,
          keys: await restored.context.keyring.publicJwks(),
        });
        expect(verified).to.deep.include({ ok: true, count: 6, headSeq: 6 });
        expect(verified.ok && verified.checkpoints).to.equal(3);
        expect((await verifyAudit(target.store)).ok).to.equal(true);
        // Same seq, hashes, receipts: row for row.
        const rows = (s: Store) => s.query('SELECT * FROM ledger_entries ORDER BY seq');
        expect((await rows(target.store)).map((r) => ({ ...r, seq: Number(r.seq) }))).to.deep.equal(
          (await rows(source.store)).map((r) => ({ ...r, seq: Number(r.seq) })),
        );
        expect(await rowCounts(target.store)).to.deep.equal(await rowCounts(source.store));
        // Answers are read on the restored ledger first: each read appends to its audit trail.
        const after = await answers(restored);
        expect(after).to.deep.equal(await answers(t));
        const statuses = after.filter((a) => (a as { status?: number }).status !== undefined);
        expect(statuses.map((a) => (a as { status: number }).status)).to.deep.equal([200, 200, 200, 404]);
        // A restored ledger keeps working: a new record for a known person lands on the same subject.
        const signer = await createDeviceSigner();
        const more = await signedRecord({ signer, policy: restored.policy, prev: null, email: CYD });
        await postRecords(restored.app, [{ jws: more.jws, opening: more.opening }]);
        const history = (await (await get(restored, `/v1/subjects/${CYD}/records`)).json()) as {
          records: unknown[];
        };
        expect(history.records).to.have.length(2);
      } finally {
        await target.close();
      }
    });

    it('reads one snapshot; a reader that stops early releases it (the store keeps answering)', async () => {
      for await (const line of exportBackup({ store: source.store, ledger: t.context.ledger })) {
        expect(line).to.match(/^\{"type":"header"/);
        break;
      }
      // A backup taken while records keep arriving still holds only what was there when it began.
      const lines: string[] = [];
      const signer = await createDeviceSigner();
      for await (const line of exportBackup({ store: source.store, ledger: t.context.ledger, pageSize: 2 })) {
        if (lines.length === 1 && factory.name === 'postgres') {
          const late = await signedRecord({ signer, policy: t.policy, prev: null, email: 'late@example.com' });
          await postRecords(t.app, [{ jws: late.jws, opening: late.opening }]);
        }
        lines.push(line);
      }
      const end = JSON.parse(lines.at(-1) ?? '{}') as { counts: { entry: number }; ledgerHead: { seq: number } };
      expect([end.counts.entry, end.ledgerHead.seq]).to.deep.equal([6, 6]);
      const head = await source.store.query<{ seq: number }>('SELECT seq FROM ledger_head');
      expect(Number(head[0]?.seq)).to.equal(factory.name === 'postgres' ? 7 : 6);
    });

    it('refuses a non-empty target and changes nothing in it', async () => {
      const result = await importBackup({ store: source.store, masterKey: TEST_MASTER_KEY, lines: linesOf(backup) });
      expect(result.ok).to.equal(false);
      expect(!result.ok && result.reason).to.match(/target ledger is not empty.*ledger_entries \(\d+\)/);
      expect((await rowCounts(source.store)).ledger_entries).to.equal(factory.name === 'postgres' ? 7 : 6);
    });
  });
}

/** Edits one line of the backup (the first whose type matches), through its JSON. */
function edit(backup: string, type: string, change: (line: Record<string, unknown>) => void, nth = 0): string {
  const lines = backup.trimEnd().split('\n');
  let seen = 0;
  const index = lines.findIndex((l) => (JSON.parse(l) as { type: string }).type === type && seen++ === nth);
  const line = JSON.parse(lines[index] ?? '{}') as Record<string, unknown>;
  change(line);
  lines[index] = JSON.stringify(line);
  return `${lines.join('\n')}\n`;
}
const dropLine = (backup: string, type: string) => {
  const lines = backup.trimEnd().split('\n');
  lines.splice(
    lines.findIndex((l) => (JSON.parse(l) as { type: string }).type === type),
    1,
  );
  return `${lines.join('\n')}\n`;
};

for (const factory of factories) {
  describe(`backup import refuses a damaged backup, and imports nothing (${factory.name})`, () => {
    let source: TestStore;
    let backup = '';
    before(async () => {
      source = await factory.create();
      const t = await createTestLedger(source.store, { checkpointEvery: 2 });
      await populate(t, source.store);
      backup = await collect(source.store, t);
    });
    after(() => source.close());

    const row = (line: Record<string, unknown>) => line.row as Record<string, unknown>;
    const entry = (line: Record<string, unknown>) => line.entry as Record<string, unknown>;
    const cases: { name: string; damage: () => string; reason: RegExp; masterKey?: Uint8Array }[] = [
      {
        name: 'an entry changed (receivedAt)',
        damage: () =>
          edit(backup, 'entry', (l) => Object.assign(entry(l), { receivedAt: '2020-01-01T00:00:00.000Z' }), 2),
        reason: /entry 3 .*entryHash does not match/,
      },
      {
        name: 'a receipt byte flipped',
        damage: () =>
          edit(backup, 'entry', (l) => {
            const r = String(l.receipt);
            l.receipt = `${r.slice(0, -5)}${r.at(-5) === 'A' ? 'B' : 'A'}${r.slice(-4)}`;
          }),
        reason: /entry 1 .*receipt/,
      },
      {
        name: 'an entry dropped',
        damage: () => dropLine(backup, 'entry'),
        reason: /end line promises 6 "entry" lines, the file has 5/,
      },
      {
        name: 'the tail cut off (no end line)',
        damage: () => backup.trimEnd().split('\n').slice(0, -3).join('\n'),
        reason: /ends before its end line/,
      },
      {
        name: 'a policy document altered',
        damage: () =>
          edit(backup, 'policy', (l) => {
            const doc = JSON.parse(String(row(l).document)) as { version: string };
            doc.version = '9.9.9';
            row(l).document = JSON.stringify(doc);
          }),
        reason: /policy .*digest is .*\(altered\)/,
      },
      {
        name: 'a sealed opening altered',
        damage: () =>
          edit(backup, 'opening', (l) => {
            const s = String(row(l).sealed);
            row(l).sealed = `${s.slice(0, 20)}${s[20] === 'A' ? 'B' : 'A'}${s.slice(21)}`;
          }),
        reason: /opening of record .* does not open/,
      },
      {
        name: 'a blind index swapped to another person',
        damage: () => {
          const second = JSON.parse(backup.split('\n').filter((l) => l.includes('"type":"subject"'))[1] ?? '{}') as {
            row: { blind_index: string };
          };
          return edit(backup, 'subject', (l) => {
            row(l).blind_index = `${second.row.blind_index.slice(0, -1)}x`;
          });
        },
        reason: /blind index is not that of its records' identifier/,
      },
      {
        name: 'an audit entry altered',
        damage: () => edit(backup, 'audit', (l) => Object.assign(row(l), { actor: 'someone-else' })),
        reason: /audit trail does not verify/,
      },
      {
        name: 'lines out of order',
        damage: () => {
          const lines = backup.trimEnd().split('\n');
          const key = lines.findIndex((l) => l.includes('"type":"key"'));
          const [moved] = lines.splice(key, 1);
          lines.splice(lines.length - 1, 0, moved ?? '');
          return lines.join('\n');
        },
        reason: /"key" line after the "audit" section/,
      },
      {
        name: 'the wrong master key',
        damage: () => backup,
        reason: /master key does not open/,
        masterKey: new Uint8Array(32).fill(9),
      },
      { name: 'not a backup at all', damage: () => '{"entry":{}}\n', reason: /not a consentkit-backup v1 header/ },
    ];

    for (const c of cases) {
      it(`refuses ${c.name}`, async () => {
        const target = await factory.create();
        try {
          const result = await importBackup({
            store: target.store,
            masterKey: c.masterKey ?? TEST_MASTER_KEY,
            lines: linesOf(c.damage()),
          });
          expect(result.ok, JSON.stringify(result)).to.equal(false);
          expect(!result.ok && result.reason).to.match(c.reason);
          expect(Object.values(await rowCounts(target.store))).to.deep.equal(TABLES.map(() => 0));
          const head = await target.store.query<{ seq: number }>('SELECT seq FROM ledger_head');
          expect(Number(head[0]?.seq)).to.equal(0);
        } finally {
          await target.close();
        }
      });
    }
  });
}
