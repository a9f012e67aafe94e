// Tamper evidence through the operator's tool (R72): direct database edits — a field
// changed, a row deleted, a row inserted, rows reordered, the tail dropped behind the last signed
// checkpoint, the tail dropped after it or from a ledger smaller than one checkpoint interval
// with the head row rewritten to match — are each reported by `consentkit verify` at the right
// entry, with exit code 1, on PGlite and PostgreSQL; so is a subject history row (what the state
// queries answer from) edited, deleted or added, at its person.
// One ledger is built per store; every case edits its own copy (a copied PGlite folder, or a
// PostgreSQL database made from the original as a template), so the cases cannot mask each other.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

async function run(command: readonly string[], flags: readonly string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...command, ...flags, ...COMMON], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
const verify = (flags: readonly string[], extra: readonly string[] = []) => run(['verify', ...extra], flags);

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

/** Posts `count` chained records to the ledger behind `flags`. */
async function fill(flags: readonly string[], count: number) {
  const opened = await openServer(loadConfig({ argv: [...flags, ...COMMON], env: {} }));
  try {
    const signer = await createTestSigner();
    let prev: string | null = null;
    for (let i = 0; i < count; i++) {
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
}

/** Drops the entries after `keep` and rewrites the head row to the new last entry, as the attack goes. */
const cutTail = (keep: number) => async (q: Queryable) => {
  await q.exec(`DELETE FROM ledger_entries WHERE seq > ${keep}`);
  await q.exec(
    `UPDATE ledger_head SET seq = ${keep}, entry_hash = (SELECT entry_hash FROM ledger_entries WHERE seq = ${keep}) WHERE id = 1`,
  );
};

for (const target of targets) {
  describe(`reliability: consentkit verify reports database tampering (${target.name})`, () => {
    let ledger: Awaited<ReturnType<Target['create']>>;
    const cases: string[] = [];

    before(async () => {
      ledger = await target.create();
      await fill(ledger.flags, ENTRIES);
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
      expect(result.out).to.include(`ok: ${ENTRIES} subject histories match the entries up to entry ${ENTRIES}`);
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
      const result = await tampered(ledger.copy, cutTail(8));
      // Checkpoints every 5 entries: the one at 10 names an entry that is gone.
      expectFault(result, 10, 'tail truncated');
      expect(result.err).to.match(/checkpoint 10/);
    });

    it('a tail dropped after the last periodic checkpoint, head row rewritten, is reported by the signed head', async () => {
      const result = await tampered(ledger.copy, cutTail(11));
      expectFault(result, 12, 'tail after the last checkpoint truncated');
      expect(result.err).to.match(/signed head is for 12 entries, the ledger holds 11/);
    });

    it('a tail dropped from a ledger smaller than one checkpoint interval is reported by the signed head', async () => {
      const small = await target.create();
      try {
        // 4 entries, a periodic checkpoint every 5: no periodic checkpoint yet, only the signed head.
        await fill(small.flags, 4);
        const untouched = await verify(small.flags);
        expect(untouched.code, untouched.err).to.equal(0);
        const result = await tampered(small.copy, cutTail(2));
        expectFault(result, 3, 'small ledger truncated');
        expect(result.err).to.match(/signed head is for 4 entries, the ledger holds 2/);
      } finally {
        await small.drop();
      }
    });

    it('a fork re-signed with the ledger key passes a plain verify but not --since a checkpoint saved before it', async () => {
      const c = await ledger.copy();
      const dir = mkdtempSync(join(tmpdir(), 'ck-since-'));
      const saved = join(dir, 'checkpoint.txt');
      try {
        const save = await run(['checkpoint', '--out', saved], c.flags);
        expect(save.code, save.err).to.equal(0);
        expect(readFileSync(saved, 'utf8')).to.match(
          new RegExp(`^[^\\n]+\\n${ENTRIES}\\n[A-Za-z0-9+/=]{44}\\n\\n\u2014 `),
        );
        // The insider: the database and the master key. Entries 10–12 and checkpoint 10 are
        // replaced by other records, the head re-signed by the ledger itself.
        const opened = await openServer(loadConfig({ argv: [...c.flags, ...COMMON], env: {} }));
        try {
          await opened.context.store.transaction(async (q) => {
            await cutTail(9)(q);
            await q.exec('DELETE FROM checkpoints WHERE seq > 9');
          });
          await opened.context.ledger.seal();
          const signer = await createTestSigner();
          let prev: string | null = null;
          for (let i = 0; i < ENTRIES - 9; i++) {
            const r = await signedRecord({ signer, policy: opened.context.policies.current, prev });
            expect((await postRecords(opened.app, [{ jws: r.jws }])).status).to.equal(200);
            prev = r.digest;
          }
        } finally {
          await opened.close();
        }
        const plain = await verify(c.flags);
        expect(plain.code, 'a re-signed fork is consistent with itself').to.equal(0);
        const since = await verify(c.flags, ['--since', saved]);
        expectFault(since, ENTRIES, 'fork re-signed (verify --since)');
        expect(since.err).to.match(/do not hash to the root of the saved checkpoint/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
        await c.drop();
      }
    });

    it('a truncation re-signed with the ledger key is caught by --since', async () => {
      const c = await ledger.copy();
      const dir = mkdtempSync(join(tmpdir(), 'ck-since-'));
      const saved = join(dir, 'checkpoint.txt');
      try {
        expect((await run(['checkpoint', '--out', saved], c.flags)).code).to.equal(0);
        const opened = await openServer(loadConfig({ argv: [...c.flags, ...COMMON], env: {} }));
        try {
          await opened.context.store.transaction(async (q) => {
            await cutTail(7)(q);
            await q.exec('DELETE FROM checkpoints WHERE seq > 7');
          });
          await opened.context.ledger.seal();
        } finally {
          await opened.close();
        }
        expect((await verify(c.flags)).code).to.equal(0);
        const since = await verify(c.flags, ['--since', saved]);
        expectFault(since, 8, 'truncation re-signed (verify --since)');
        expect(since.err).to.match(/saved checkpoint is for 12 entries, the ledger holds 7/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
        await c.drop();
      }
    });

    it('consentkit checkpoint prints the head note and its verifier key', async () => {
      const note = await run(['checkpoint'], ledger.flags);
      expect(note.code, note.err).to.equal(0);
      expect(note.out.split('\n')[1]).to.equal(String(ENTRIES));
      const key = await run(['checkpoint', '--key'], ledger.flags);
      expect(key.out).to.match(new RegExp(`^${note.out.split('\n')[0]}\\+[0-9a-f]{8}\\+`));
      const missing = await verify(ledger.flags, ['--since', '/nonexistent/checkpoint.txt']);
      expect(missing.code).to.equal(2);
    });

    // The state and bulk queries answer from the subject histories, not from the entries: an
    // edited row changes "may we mail this person?" while every entry still holds.
    const refAt = async (q: Queryable, seq: number) =>
      (await q.query<{ subject_ref: string }>('SELECT subject_ref FROM ledger_entries WHERE seq = $1', [seq]))[0]
        ?.subject_ref ?? '';
    const expectHistoryFault = (result: { code: number; out: string; err: string }, line: RegExp, label: string) => {
      expect(result.code, `${label}: ${result.err}`).to.equal(1);
      expect(result.out, label).to.include(`ok: ${ENTRIES} entries`);
      expect(result.err, label).to.match(/^FAULT in the subject histories: 1 subject history row does not match/);
      expect(result.err, label).to.match(line);
      cases.push(label);
    };

    it('an edited subject history answer is reported at that person and entry', async () => {
      let ref = '';
      const result = await tampered(ledger.copy, async (q) => {
        ref = await refAt(q, 7);
        // Marketing withdrawn in the row the state queries read; the entry still grants it.
        const changed = await q.query(
          `UPDATE subject_histories SET items = replace(items, '["marketing",true,', '["marketing",false,')
           WHERE subject_ref = $1 AND items LIKE '%["marketing",true,%' RETURNING 1`,
          [ref],
        );
        expect(changed).to.have.length(1);
      });
      expectHistoryFault(
        result,
        new RegExp(`^FAULT in the history of subject ${ref} at entry 7 \\(differs\\)`, 'm'),
        'history answer edited',
      );
    });

    it('a deleted subject history row is reported at the person’s first entry', async () => {
      let ref = '';
      const result = await tampered(ledger.copy, async (q) => {
        ref = await refAt(q, 5);
        expect(await q.query('DELETE FROM subject_histories WHERE subject_ref = $1 RETURNING 1', [ref])).to.have.length(
          1,
        );
      });
      expectHistoryFault(
        result,
        new RegExp(`^FAULT in the history of subject ${ref} at entry 5 \\(missing\\)`, 'm'),
        'history row deleted',
      );
    });

    it('a subject history row with no entry behind it is reported', async () => {
      const ref = '01900000-0000-7000-8000-000000000000';
      const result = await tampered(ledger.copy, async (q) => {
        await q.query(
          'INSERT INTO subject_histories (subject_ref, items) SELECT $1, items FROM subject_histories LIMIT 1',
          [ref],
        );
      });
      expectHistoryFault(
        result,
        new RegExp(`^FAULT in the history of subject ${ref} \\(no-entry\\)`, 'm'),
        'history row added',
      );
    });

    it('a head row whose signed note was removed or swapped for an older one is reported', async () => {
      const removed = await tampered(ledger.copy, (q) => q.exec('UPDATE ledger_head SET checkpoint = NULL'));
      expectFault(removed, ENTRIES + 1, 'signed head removed');
      expect(removed.err).to.match(/no signed checkpoint/);
      // The note of checkpoint 10 is genuine, but it is not the head of 12 entries.
      const older = await tampered(ledger.copy, (q) =>
        q.exec('UPDATE ledger_head SET checkpoint = (SELECT note FROM checkpoints WHERE seq = 10)'),
      );
      expectFault(older, 11, 'signed head swapped for an older one');
      expect(older.err).to.match(/signed head is for 10 entries, the ledger holds 12/);
    });
  });
}
