// A ledger made by the code before assurance (test/fixtures/pre-assurance-ledger.ndjson, written by
// `consentkit export` of that version) upgrades in place: nothing is lost, old entry hashes still
// verify, each entry gets an assurance derived from what is known and flagged as derived (version 1),
// and new entries are version 2 with their assurance hashed. The same file still imports.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cli, cliTargets, createTestContext } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { loadMigrations, migrate } from '../platform/store/migrate.js';
import { createPgliteStore } from '../platform/store/pglite-store.js';
import { verifyLedger } from './verify-ledger.js';

const FIXTURE = fileURLToPath(new URL('../../test/fixtures/pre-assurance-ledger.ndjson', import.meta.url));
type Line = { type: string; row?: Record<string, unknown>; entry?: Record<string, unknown>; receipt?: string };
const lines = readFileSync(FIXTURE, 'utf8')
  .trimEnd()
  .split('\n')
  .map((l) => JSON.parse(l) as Line);

const TABLES: Record<string, string> = {
  key: 'keys',
  policy: 'policies',
  subject: 'subjects',
  'subject-key': 'subject_keys',
  commitment: 'commitments',
  opening: 'openings',
};

describe('a ledger made before assurance upgrades in place', () => {
  it('keeps every entry, verifies, derives and flags assurance, and appends version 2 entries', async () => {
    const store = await createPgliteStore({});
    try {
      // The schema as that version left it (migrations 001–004), holding its rows exactly.
      await migrate(
        store,
        loadMigrations().filter((m) => m.version < 5),
      );
      let head = { seq: 0, entryHash: '' };
      for (const line of lines) {
        const table = TABLES[line.type];
        if (table && line.row) {
          const columns = Object.keys(line.row);
          await store.query(
            `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
            Object.values(line.row) as never[],
          );
        }
        if (line.type === 'entry' && line.entry) {
          const e = line.entry as Record<string, string | number | null>;
          await store.query(
            `INSERT INTO ledger_entries (seq, record_id, kid, digest, jws, subject_ref, received_at, prev_hash, entry_hash, receipt)
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
            [
              e.seq,
              e.recordId,
              e.kid,
              e.digest,
              e.jws,
              e.subjectRef,
              e.receivedAt,
              e.prevHash,
              e.entryHash,
              line.receipt ?? '',
            ] as never[],
          );
          head = { seq: Number(e.seq), entryHash: String(e.entryHash) };
        }
      }
      await store.query('UPDATE ledger_head SET seq = $1, entry_hash = $2 WHERE id = 1', [head.seq, head.entryHash]);

      // Opening the ledger with today's code runs the upgrade.
      const context = await createTestContext(store);
      const rows = await store.query<{ seq: number; assurance: string; entry_version: number; kid: string }>(
        'SELECT seq, assurance, entry_version, kid FROM ledger_entries ORDER BY seq',
      );
      expect(rows).to.have.length(3);
      // Two browser records (device), and the one-click unsubscribe the ledger signed itself (inbox).
      expect(rows.map((r) => [r.assurance, Number(r.entry_version)])).to.deep.equal([
        ['device', 1],
        ['device', 1],
        ['inbox', 1],
      ]);
      const keys = await context.keyring.publicJwks();
      expect((await verifyLedger({ store, ledger: context.ledger, keys, signatures: true })).ok).to.equal(true);

      // The unsubscribe still stands; the browser's express grant is now pending (it was never vouched for).
      const ada = await store.query<{ subject_ref: string }>('SELECT subject_ref FROM ledger_entries WHERE seq = 3');
      const state = await context.subjects.state(String(ada[0]?.subject_ref));
      expect(state.marketing?.status).to.equal('denied');
      expect(state['partner-sharing']?.status).to.equal('pending');

      // A backend can still vouch for an old record: a new version 2 entry, and the chain verifies.
      const first = await store.query<{ record_id: string }>('SELECT record_id FROM ledger_entries WHERE seq = 1');
      await context.subjects.vouch({ recordId: String(first[0]?.record_id), kind: 'attests' });
      const added = await store.query<{ assurance: string; entry_version: number }>(
        'SELECT assurance, entry_version FROM ledger_entries WHERE seq = 4',
      );
      expect(added[0]).to.deep.include({ assurance: 'site' });
      expect(Number(added[0]?.entry_version)).to.equal(2);
      expect((await verifyLedger({ store, ledger: context.ledger, keys, signatures: true })).ok).to.equal(true);
    } finally {
      await store.close();
    }
  });

  for (const target of cliTargets('ck-upgrade-')) {
    it(`the backup that version exported still imports, with assurance derived (${target.name})`, async () => {
      const ledger = await target.create();
      try {
        const imported = await cli(['import', FIXTURE, ...ledger.flags]);
        expect(imported.code, imported.err).to.equal(0);
        const verified = await cli(['verify', '--signatures', ...ledger.flags]);
        expect(verified.code, verified.err + verified.out).to.equal(0);
      } finally {
        await ledger.drop();
      }
    });
  }
});
