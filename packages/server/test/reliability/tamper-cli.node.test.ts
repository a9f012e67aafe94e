// Tamper evidence through the operator's tool (R72): direct database edits — a field
// changed, a row deleted, a row inserted, rows reordered, the tail dropped behind the last signed
// checkpoint — are each reported by `consentkit verify` at the right entry, with exit code 1.
// One ledger is built per store; every case edits its own copy (a copied PGlite folder, or a
// PostgreSQL database made from the original as a template), so the cases cannot mask each other.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestSigner, TEST_MASTER_KEY_B64 } from '@consentkit/test-support/keys';
import {
  createTestDatabase,
  insertForgedEntry,
  POLICY_FILE,
  postRecords,
  signedRecord,
  testPostgresUrl,
} from '@consentkit/test-support/server';
import { expect } from 'chai';
import pg from 'pg';
import { runCli } from '../../src/cli/consentkit.js';
import { openStore } from '../../src/platform/store/open-store.js';
import type { Queryable } from '../../src/platform/store/store.js';
import { loadConfig } from '../../src/runtime/config.js';
import { openServer } from '../../src/runtime/server.js';

const COMMON = ['--master-key', TEST_MASTER_KEY_B64, '--policy', POLICY_FILE, '--checkpoint-every', '5'];
const ENTRIES = 12;

type Copy = { flags: string[]; drop(): Promise<void> };
type Target = {
  name: string;
  /** The original ledger's flags, and how to make an independent copy of it. */
  create(): Promise<{ flags: string[]; copy(): Promise<Copy>; drop(): Promise<void> }>;
};

const targets: Target[] = [
  {
    name: 'pglite',
    async create() {
      const dir = mkdtempSync(join(tmpdir(), 'ck-tamper-'));
      return {
        flags: ['--data-dir', dir],
        async copy() {
          const to = mkdtempSync(join(tmpdir(), 'ck-tamper-copy-'));
          cpSync(dir, to, { recursive: true });
          return { flags: ['--data-dir', to], drop: async () => rmSync(to, { recursive: true, force: true }) };
        },
        drop: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'postgres',
    async create() {
      const db = await createTestDatabase();
      const base = new URL(db.url).pathname.slice(1);
      return {
        flags: ['--database-url', db.url],
        async copy() {
          const name = `${base}_c${Math.random().toString(36).slice(2, 8)}`;
          const admin = new pg.Client({ connectionString: testPostgresUrl() });
          await admin.connect();
          try {
            // Names are generated here, never from input.
            await admin.query(`CREATE DATABASE ${name} TEMPLATE ${base}`);
          } finally {
            await admin.end();
          }
          const url = new URL(db.url);
          url.pathname = `/${name}`;
          return {
            flags: ['--database-url', url.toString()],
            async drop() {
              const c = new pg.Client({ connectionString: testPostgresUrl() });
              await c.connect();
              try {
                await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
              } finally {
                await c.end();
              }
            },
          };
        },
        drop: () => db.drop(),
      };
    },
  },
];

async function verify(flags: readonly string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['verify', ...flags, ...COMMON], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Runs `edit` on a copy of the ledger, then `consentkit verify` on that copy. */
async function tampered(copy: () => Promise<Copy>, edit: (q: Queryable) => Promise<void>) {
  const c = await copy();
  try {
    const store = await openStore(loadConfig({ argv: [...c.flags, ...COMMON], env: {} }));
    try {
      await store.transaction(edit);
    } finally {
      await store.close();
    }
    return await verify(c.flags);
  } finally {
    await c.drop();
  }
}

// The verifier and the SQL are the same on both stores; PGlite, whose every open costs an
// initdb-sized start, runs in the soak run only, to keep CI within its time budget.
const SOAK = process.env.CONSENTKIT_SOAK === '1';

for (const target of targets.filter((t) => SOAK || t.name === 'postgres')) {
  describe(`reliability: consentkit verify reports database tampering (${target.name})`, () => {
    let ledger: Awaited<ReturnType<Target['create']>>;
    const cases: string[] = [];

    before(async () => {
      ledger = await target.create();
      const opened = await openServer(loadConfig({ argv: [...ledger.flags, ...COMMON], env: {} }));
      try {
        const signer = await createTestSigner();
        let prev: string | null = null;
        for (let i = 0; i < ENTRIES; i++) {
          const r = await signedRecord({
            signer,
            policy: opened.context.policies.current,
            prev,
            email: `t${i}@example.test`,
          });
          const response = await postRecords(opened.app, [{ jws: r.jws, opening: r.opening }]);
          if (response.status !== 200) throw new Error(`ingest answered ${response.status}`);
          prev = r.digest;
        }
      } finally {
        await opened.close();
      }
    });
    after(async () => {
      console.log(
        `[tamper] ${target.name}: ${cases.length} tamper cases detected by consentkit verify (${cases.join(', ')})`,
      );
      await ledger.drop();
    });

    it('passes the untouched ledger and an untouched copy of it (exit 0)', async () => {
      const result = await verify(ledger.flags);
      expect(result.code, result.err).to.equal(0);
      expect(result.out).to.include(`ok: ${ENTRIES} entries`);
      const untouched = await tampered(ledger.copy, async () => {});
      expect(untouched.code, untouched.err).to.equal(0);
    });

    const expectFault = (result: { code: number; err: string }, seq: number, label: string) => {
      expect(result.code, `${label}: ${result.err}`).to.equal(1);
      expect(result.err, label).to.match(new RegExp(`^FAULT at entry ${seq}\\b`));
      cases.push(label);
    };

    it('a changed field is reported at that entry', async () => {
      expectFault(
        await tampered(ledger.copy, (q) =>
          q.exec("UPDATE ledger_entries SET received_at = '2020-01-01T00:00:00.000Z' WHERE seq = 4"),
        ),
        4,
        'field changed',
      );
    });

    it('a deleted row is reported at its position', async () => {
      expectFault(
        await tampered(ledger.copy, (q) => q.exec('DELETE FROM ledger_entries WHERE seq = 6')),
        6,
        'row deleted',
      );
    });

    it('reordered rows are reported at the first of them', async () => {
      expectFault(
        await tampered(ledger.copy, async (q) => {
          await q.exec('UPDATE ledger_entries SET seq = -1 WHERE seq = 8');
          await q.exec('UPDATE ledger_entries SET seq = 8 WHERE seq = 9');
          await q.exec('UPDATE ledger_entries SET seq = 9 WHERE seq = -1');
        }),
        8,
        'rows reordered',
      );
    });

    it('an inserted row, with its hashes recomputed to fit the chain, is reported at its position', async () => {
      const opened = await openServer(loadConfig({ argv: [...ledger.flags, ...COMMON], env: {} }));
      const policy = opened.context.policies.current;
      await opened.close();
      expectFault(await tampered(ledger.copy, (q) => insertForgedEntry(q, { seq: 3, policy })), 3, 'row inserted');
    });

    it('a dropped tail is reported against the last signed checkpoint, even with the head rewritten to match', async () => {
      const result = await tampered(ledger.copy, async (q) => {
        await q.exec('DELETE FROM ledger_entries WHERE seq > 8');
        await q.exec(
          'UPDATE ledger_head SET seq = 8, entry_hash = (SELECT entry_hash FROM ledger_entries WHERE seq = 8) WHERE id = 1',
        );
      });
      // Checkpoints every 5 entries: the one at 10 names an entry that is gone.
      expectFault(result, 10, 'tail truncated');
      expect(result.err).to.match(/checkpoint 10/);
    });
  });
}
