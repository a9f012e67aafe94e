import { createTestSigner, TEST_API_KEY, TEST_MASTER_KEY } from '@consentkit/test-support/keys';
import {
  createTestLedger,
  postRecords,
  type StoreFactory,
  signedRecord,
  storeFactories,
  type TestLedger,
  type TestStore,
} from '@consentkit/test-support/server';
import { expect } from 'chai';
import { createApiKey } from '../access/api-keys.js';
import { verifyAudit } from '../access/audit-log.js';
import { parseCheckpointNote, signCheckpointNote } from '../ledger/checkpoint-note.js';
import { verifyLedger } from '../ledger/verify-ledger.js';
import { dispatchPartnerEvents } from '../partners/partner-dispatcher.js';
import { deliverDuePartnerEvents } from '../partners/partner-worker.js';
import type { Store } from '../platform/store/store.js';
import { purgeExpired } from '../retention/purge.js';
import { exportBackup } from './export.js';
import { importBackup } from './import.js';

// Backup and restore: a backup taken from one store kind restores into the other, verifies,
// and answers the same state queries by email; a damaged backup is refused and leaves nothing behind.
// It carries the retention and partner tables too: deletion receipts (retention) still
// verify, partner secrets stay sealed, and the dispatch cursor keeps a restored server from
// re-sending every historical withdrawal to partners.

const [ADA, BO, CYD, ERASED] = [
  'ada@example.com',
  'Bo.Chen@Example.com',
  'cyd@example.com',
  'erased@example.com',
] as const;
const PEOPLE = [ADA, BO, CYD, ERASED];
/**
 * The tables that hold the ledger's data, read from the catalogue so a new table is covered by
 * itself: all but the head rows (the ledger's, the audit trail's, the subject histories'), the dispatch cursor, the migration log, and the keys and policies
 * an import replaces instead.
 */
const NOT_DATA = new Set([
  'schema_migrations',
  'ledger_head',
  'audit_head',
  'subject_history_head',
  'partner_dispatch_cursor',
  'keys',
  'policies',
]);
async function dataTables(store: Store): Promise<string[]> {
  const rows = await store.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
  );
  return rows.map((r) => r.table_name).filter((name) => !NOT_DATA.has(name));
}
const PARTNER = 'authorized-partners';
/** Nothing listens on the discard port: the worker's attempt fails and is logged, as a real one would. */
const CLOSED_ENDPOINT = 'http://127.0.0.1:9/consent-webhooks';

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
  for (const table of await dataTables(store)) {
    counts[table] = Number((await store.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0]?.n);
  }
  return counts;
}

/** A ledger with some history: device records with openings, a chained second record, a
 * preference-page change signed by the ledger, an erasure, audited reads, an API key, checkpoints,
 * a registered partner with one delivery (a withdrawal) and its failed attempt, and a purge receipt.
 * Returns the partner's webhook secret (which must never appear in a backup). */
/** The site's backend posts the records (site assurance), so the express grant counts and its withdrawal is an event. */
const SITE = { authorization: `Bearer ${TEST_API_KEY}` };

async function populate(t: TestLedger, store: Store): Promise<string> {
  const signer = await createTestSigner();
  let prev: string | null = null;
  const share = { purpose: 'partner-sharing', basis: 'express', interaction: 'pointer' } as const;
  for (const email of PEOPLE) {
    const signed = await signedRecord({
      signer,
      policy: t.policy,
      prev,
      email,
      ...(email === ADA
        ? {
            decisions: [
              { purpose: 'application-processing', granted: true, basis: 'implied' },
              { purpose: 'marketing', granted: true, basis: 'opt-out' },
              { ...share, granted: true },
            ],
          }
        : {}),
    });
    const response = await postRecords(t.app, [{ jws: signed.jws, opening: signed.opening }], SITE);
    expect(((await response.json()) as { results: { status: string }[] }).results[0]?.status).to.equal('accepted');
    prev = signed.digest;
  }
  const again = await signedRecord({
    signer,
    policy: t.policy,
    prev,
    email: ADA,
    decisions: [
      { purpose: 'marketing', granted: false, basis: 'opt-out' },
      { ...share, granted: false },
    ],
  });
  await postRecords(t.app, [{ jws: again.jws, opening: again.opening }], SITE);
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
  const { secret } = await t.context.partners.add(store, { id: PARTNER, endpoint: CLOSED_ENDPOINT, policy: t.policy });
  const dispatched = await dispatchPartnerEvents({
    store,
    ledger: t.context.ledger,
    registry: t.context.partners,
    policy: t.policy,
  });
  expect(dispatched).to.include({ created: 1, cursor: 6 });
  const worked = await deliverDuePartnerEvents({
    store,
    registry: t.context.partners,
    policy: t.policy,
    timeoutMs: 2000,
  });
  expect(worked).to.include({ attempted: 1, delivered: 0 });
  const purge = await purgeExpired(t.context, { actor: 'backup-test' });
  expect(purge.receipt?.id).to.be.a('string');
  return secret;
}

/** The retention and partner rows, comparable across store kinds (bigint is text in node-postgres). */
async function partnerAndPurgeRows(store: Store): Promise<unknown[]> {
  const numbers = (rows: Record<string, unknown>[]) =>
    rows.map((r) =>
      Object.fromEntries(
        Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v]),
      ),
    );
  return [
    numbers(await store.query('SELECT * FROM purge_receipts ORDER BY id')),
    numbers(await store.query('SELECT * FROM partners ORDER BY id')),
    numbers(await store.query('SELECT * FROM partner_dispatch_cursor')),
    numbers(await store.query('SELECT * FROM partner_deliveries ORDER BY id')),
    numbers(await store.query('SELECT * FROM partner_delivery_attempts ORDER BY delivery_id, attempt')),
  ];
}

const cursorOf = async (store: Store) =>
  Number((await store.query<{ last_seq: number }>('SELECT last_seq FROM partner_dispatch_cursor'))[0]?.last_seq);

const factories = storeFactories();
const other = (f: StoreFactory) => factories.find((g) => g.name !== f.name) as StoreFactory;

for (const factory of factories) {
  describe(`backup export → import (${factory.name} → ${other(factory).name})`, () => {
    let source: TestStore;
    let t: TestLedger;
    let backup = '';
    let secret = '';
    before(async () => {
      source = await factory.create();
      t = await createTestLedger(source.store, { checkpointEvery: 2 });
      secret = await populate(t, source.store);
      backup = await collect(source.store, t);
    });
    after(() => source.close());

    it('writes a header, typed lines and an end line with the counts', () => {
      const lines = backup
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as { type: string; counts?: object });
      expect(lines[0]).to.include({ type: 'header', format: 'consentkit-backup', version: 3 });
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
        'purge-receipt',
        'partner',
        'dispatch-cursor',
        'partner-delivery',
        'partner-attempt',
      ]) {
        expect(types, type).to.include(type);
      }
      // In the order the importer checks: deliveries after partners, attempts after deliveries.
      const firstOf = (type: string) => lines.findIndex((l) => l.type === type);
      expect(firstOf('audit')).to.be.below(firstOf('purge-receipt'));
      expect(firstOf('partner')).to.be.below(firstOf('partner-delivery'));
      expect(firstOf('partner-delivery')).to.be.below(firstOf('partner-attempt'));
      expect(lines.filter((l) => l.type === 'dispatch-cursor')).to.have.length(1);
      // Only ciphertext: no identifier in clear anywhere in the file, and no partner secret.
      for (const email of PEOPLE) expect(backup.toLowerCase()).to.not.include(email.toLowerCase());
      expect(secret).to.match(/^whsec_/);
      expect(backup).to.not.include(secret).and.not.include(secret.slice('whsec_'.length)).and.not.include('whsec_');
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
        // R72: the restored log is the same log: its signed head is the backup's, byte for byte,
        // and the periodic checkpoints keep their notes.
        const end = JSON.parse(backup.trimEnd().split('\n').at(-1) ?? '{}') as { checkpoint: string };
        expect(end.checkpoint).to.match(/^\S+\n6\n\S{44}\n\n\u2014 /);
        const restoredHead = await target.store.query<{ checkpoint: string }>('SELECT checkpoint FROM ledger_head');
        expect(restoredHead[0]?.checkpoint).to.equal(end.checkpoint);
        const notes = await target.store.query<{ note: string | null }>('SELECT note FROM checkpoints ORDER BY seq');
        expect(notes.map((n) => n.note?.split('\n')[1])).to.deep.equal(['2', '4', '6']);
        expect((await verifyAudit(target.store)).ok).to.equal(true);
        // Same seq, hashes, receipts: row for row.
        const rows = (s: Store) => s.query('SELECT * FROM ledger_entries ORDER BY seq');
        expect((await rows(target.store)).map((r) => ({ ...r, seq: Number(r.seq) }))).to.deep.equal(
          (await rows(source.store)).map((r) => ({ ...r, seq: Number(r.seq) })),
        );
        // Everything the backup held, plus the restore's own audit entry.
        const sourceCounts = await rowCounts(source.store);
        expect(await rowCounts(target.store)).to.deep.equal({
          ...sourceCounts,
          audit_log: (sourceCounts.audit_log ?? 0) + 1,
        });
        const [last] = await target.store.query<{ action: string; actor: string }>(
          'SELECT action, actor FROM audit_log ORDER BY seq DESC LIMIT 1',
        );
        expect(last).to.deep.equal({ action: 'backup.import', actor: 'cli' });
        // Purge receipts, partners, deliveries and attempts: row for row; the cursor where it stood.
        expect(await partnerAndPurgeRows(target.store)).to.deep.equal(await partnerAndPurgeRows(source.store));
        expect(await cursorOf(target.store)).to.equal(6);
        // Answers are read on the restored ledger first: each read appends to its audit trail.
        const after = await answers(restored);
        expect(after).to.deep.equal(await answers(t));
        // The restored registry opens the restored secret; its dispatcher re-sends nothing.
        const credentials = await restored.context.partners.credentials(target.store, PARTNER);
        expect(credentials?.secrets).to.deep.equal([secret]);
        const redispatch = await dispatchPartnerEvents({
          store: target.store,
          ledger: restored.context.ledger,
          registry: restored.context.partners,
          policy: restored.policy,
        });
        expect(redispatch).to.include({ created: 0, cursor: 6 });
        expect(
          Number((await target.store.query<{ n: number }>('SELECT count(*) AS n FROM partner_deliveries'))[0]?.n),
        ).to.equal(1);
        const statuses = after.filter((a) => (a as { status?: number }).status !== undefined);
        expect(statuses.map((a) => (a as { status: number }).status)).to.deep.equal([200, 200, 200, 404]);
        // A restored ledger keeps working: a new record for a known person lands on the same subject.
        const signer = await createTestSigner();
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
      const signer = await createTestSigner();
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

    it('still imports a version 1 file (before the retention and partner tables)', async () => {
      const v2Only = ['purge-receipt', 'partner', 'dispatch-cursor', 'partner-delivery', 'partner-attempt'];
      const v1 = backup
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as { type: string; version?: number; counts?: Record<string, number> })
        .filter((l) => !v2Only.includes(l.type))
        .map((l) => {
          if (l.type === 'header') l.version = 1;
          for (const type of v2Only) delete l.counts?.[type];
          // Version 3's notes were not there either.
          if (l.type === 'checkpoint') delete (l as { row?: { note?: string } }).row?.note;
          if (l.type === 'end') delete (l as { checkpoint?: string }).checkpoint;
          return JSON.stringify(l);
        })
        .join('\n');
      const target = await other(factory).create();
      try {
        const result = await importBackup({ store: target.store, masterKey: TEST_MASTER_KEY, lines: linesOf(v1) });
        expect(result, JSON.stringify(result)).to.include({ ok: true, ledgerHead: 6 });
        expect((await rowCounts(target.store)).partners).to.equal(0);
        expect(await cursorOf(target.store)).to.equal(0);
      } finally {
        await target.close();
      }
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
    let t: TestLedger;
    before(async () => {
      source = await factory.create();
      t = await createTestLedger(source.store, { checkpointEvery: 2 });
      await populate(t, source.store);
      backup = await collect(source.store, t);
    });
    const endOf = (line: Record<string, unknown>) => line as { checkpoint?: string };
    const checkpointNote = (nth: number) =>
      (
        JSON.parse(backup.split('\n').filter((l) => l.includes('"type":"checkpoint"'))[nth] ?? '{}') as {
          row: { note: string };
        }
      ).row.note;
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
        reason: /"key" line after the "partner-attempt" section/,
      },
      {
        name: 'the wrong master key',
        damage: () => backup,
        reason: /master key does not open/,
        masterKey: new Uint8Array(32).fill(9),
      },
      { name: 'not a backup at all', damage: () => '{"entry":{}}\n', reason: /not a consentkit-backup header/ },
      {
        name: 'a version this release does not read',
        damage: () => edit(backup, 'header', (l) => Object.assign(l, { version: 4 })),
        reason: /consentkit-backup version 4 is not one this consentkit reads \(versions 1, 2, 3\)/,
      },
      {
        name: 'a version 2 line in a version 1 file',
        damage: () => edit(backup, 'header', (l) => Object.assign(l, { version: 1 })),
        reason: /a "purge-receipt" line in a version 1 backup/,
      },
      {
        name: 'a purge receipt row altered (subjects count)',
        damage: () => edit(backup, 'purge-receipt', (l) => Object.assign(row(l), { subjects: 3 })),
        reason: /purge receipt .*: its row does not match its signed payload: subjects \(signed 0\)/,
      },
      {
        name: 'a purge receipt JWS altered (payload)',
        damage: () =>
          edit(backup, 'purge-receipt', (l) => {
            const [h, p, sig] = String(row(l).jws).split('.');
            const claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString()) as { purgedAt: string };
            claims.purgedAt = '2001-01-01T00:00:00.000Z';
            row(l).jws = [h, Buffer.from(JSON.stringify(claims)).toString('base64url'), sig].join('.');
            row(l).purged_at = claims.purgedAt;
          }),
        reason: /purge receipt .* does not verify against the ledger keys/,
      },
      {
        name: 'a delivery for a partner not in the backup',
        damage: () => edit(backup, 'partner-delivery', (l) => Object.assign(row(l), { partner_id: 'nobody' })),
        reason: /a partner delivery for a partner that is not in the backup/,
      },
      {
        name: 'an attempt before its delivery (out of order)',
        damage: () => {
          const lines = backup.trimEnd().split('\n');
          const at = lines.findIndex((l) => l.includes('"type":"partner-attempt"'));
          const [moved] = lines.splice(at, 1);
          lines.splice(
            lines.findIndex((l) => l.includes('"type":"partner-delivery"')),
            0,
            moved ?? '',
          );
          return lines.join('\n');
        },
        reason: /an attempt of delivery .* before \(or without\) that delivery's line/,
      },
      {
        name: 'a version 3 backup whose signed head was removed (R72)',
        damage: () => edit(backup, 'end', (l) => delete endOf(l).checkpoint),
        reason: /a version 3 backup's end line carries the ledger's signed head \(checkpoint\); this one has none/,
      },
      {
        name: 'the signed head swapped for an older genuine one (the tail dropped with its lines recounted)',
        damage: () => edit(backup, 'end', (l) => Object.assign(l, { checkpoint: checkpointNote(0) })),
        reason: /the backup's signed head is for 2 entries, the file holds 6 \(entries dropped or added\)/,
      },
      {
        name: 'a signed head over another root, re-signed with the ledger key',
        damage: () => backupWithHead,
        reason: /the restored entries' Merkle root \S+ is not the root \S+ the backup's signed head carries/,
      },
      {
        name: "a periodic checkpoint's note swapped for another's",
        damage: () => edit(backup, 'checkpoint', (l) => Object.assign(row(l), { note: checkpointNote(0) }), 1),
        reason: /the ledger does not verify at entry 4: checkpoint 4 is signed for 2 entries, not 4/,
      },
      {
        name: 'the dispatch cursor past the ledger head',
        damage: () => edit(backup, 'dispatch-cursor', (l) => Object.assign(row(l), { last_seq: 99 })),
        reason: /dispatch cursor \(99\) is past the ledger head \(6\)/,
      },
      {
        name: "a partner's sealed secrets altered",
        damage: () =>
          edit(backup, 'partner', (l) => {
            const s = String(row(l).sealed_secrets);
            row(l).sealed_secrets = `${s.slice(0, 20)}${s[20] === 'A' ? 'B' : 'A'}${s.slice(21)}`;
          }),
        reason: /partner authorized-partners: its sealed secrets do not open with the master key/,
      },
    ];

    let backupWithHead = '';
    before(async () => {
      const { origin, size } = parseCheckpointNote(
        (JSON.parse(backup.trimEnd().split('\n').at(-1) ?? '{}') as { checkpoint: string }).checkpoint,
      ) as { origin: string; size: number };
      const key = t.context.keyring.checkpoint;
      const note = await signCheckpointNote(key.signer, key.publicKey, { origin, size, root: Buffer.alloc(32, 1) });
      backupWithHead = edit(backup, 'end', (l) => Object.assign(l, { checkpoint: note }));
    });

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
          const counts = await rowCounts(target.store);
          expect(Object.keys(counts)).to.include.members(['ledger_entries', 'subjects', 'openings', 'audit_log']);
          expect(Object.values(counts).filter((n) => n !== 0)).to.deep.equal([]);
          expect(await cursorOf(target.store)).to.equal(0);
          const head = await target.store.query<{ seq: number }>('SELECT seq FROM ledger_head');
          expect(Number(head[0]?.seq)).to.equal(0);
        } finally {
          await target.close();
        }
      });
    }
  });
}
