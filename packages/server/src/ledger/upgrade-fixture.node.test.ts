// R72: a ledger made by the code before the transparency log upgrades in place, not simulated: the
// fixture is a dump of a database that commit's own server filled (test/fixtures/
// ledger-before-transparency.sql says how), loaded into PGlite and PostgreSQL as it was, then opened
// by today's code. Nothing is lost, every old entry hash still holds, the head is sealed once with
// the Merkle root of the old entries, later appends extend it (verify --since), and the subject
// histories the state queries read are built from the old entries.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateConsent } from '@consentkit/core';
import { cli, cliTargets, seedLedger } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { checkInclusion, entryLeafInput, leafHashOf, merkleTreeHash } from '../../test/support/log-verifier.js';
import { openStore } from '../platform/store/open-store.js';
import { loadConfig } from '../runtime/config.js';
import { openServer } from '../runtime/server.js';
import { assuredRecordOf } from './records-of.js';

const FIXTURE = fileURLToPath(new URL('../../test/fixtures/ledger-before-transparency.sql', import.meta.url));
const OLD_ENTRIES = 11;

type Row = Parameters<typeof entryLeafInput>[0] & { entry_hash: string };

for (const target of cliTargets('ck-upgrade-fixture-')) {
  describe(`a ledger made before the transparency log upgrades in place (${target.name})`, () => {
    it('opens, seals the old entries into the tree, verifies, and grows consistently', async () => {
      const ledger = await target.create(['--checkpoint-every', '5']);
      const dir = mkdtempSync(join(tmpdir(), 'ck-upgrade-cp-'));
      try {
        // The old database exactly as that version left it.
        const raw = await openStore(loadConfig({ argv: ledger.flags, env: {} }));
        let oldRows: Row[];
        try {
          await raw.exec(readFileSync(FIXTURE, 'utf8'));
          const migrations = await raw.query<{ version: number }>('SELECT version FROM schema_migrations');
          expect(migrations.map((m) => Number(m.version)).sort()).to.deep.equal([1, 2, 3, 4, 5]);
          oldRows = await raw.query<Row>('SELECT * FROM ledger_entries ORDER BY seq');
        } finally {
          await raw.close();
        }
        expect(oldRows).to.have.length(OLD_ENTRIES);

        // Today's code: migrations 006+ run, the head is sealed on the first open.
        const verified = await cli(['verify', ...ledger.flags]);
        expect(verified.code, verified.err).to.equal(0);
        expect(verified.out).to.match(
          new RegExp(`^ok: ${OLD_ENTRIES} entries, 2 checkpoints, head ${OLD_ENTRIES}, root `),
        );
        const saved = join(dir, 'after-upgrade.cp');
        expect((await cli(['checkpoint', '--out', saved, ...ledger.flags])).code).to.equal(0);
        // The sealed root is the RFC 9162 root of the old entries, computed here from the spec.
        const root = merkleTreeHash(oldRows.map((r) => entryLeafInput(r))).toString('base64');
        const note = readFileSync(saved, 'utf8').split('\n');
        expect([note[1], note[2]]).to.deep.equal([String(OLD_ENTRIES), root]);

        // Nothing of the old ledger changed; new records extend it.
        expect(await seedLedger(ledger.flags, ['new@example.com', 'ada@example.com'])).to.deep.equal([200, 200]);
        const since = await cli(['verify', '--since', saved, ...ledger.flags]);
        expect(since.code, since.err).to.equal(0);
        expect(since.out).to.match(new RegExp(`extends the saved checkpoint of ${OLD_ENTRIES} entries`));
        const opened = await openServer(loadConfig({ argv: ledger.flags, env: {} }));
        try {
          const after = await opened.context.store.query<Row>('SELECT * FROM ledger_entries ORDER BY seq');
          expect(after.slice(0, OLD_ENTRIES).map((r) => r.entry_hash)).to.deep.equal(oldRows.map((r) => r.entry_hash));
          expect(after).to.have.length(OLD_ENTRIES + 2);
          // The subject histories (migration 009) were built from the old entries on the first
          // start: every person's state from them is the state from their whole records.
          const { store, ledger: openedLedger, subjects } = opened.context;
          const heads = await store.query<{ at: number; seq: number }>(
            'SELECT p.seq AS at, l.seq FROM subject_history_head p, ledger_head l',
          );
          expect(Number(heads[0]?.at)).to.equal(OLD_ENTRIES + 2);
          const people = await store.query<{ ref: string }>('SELECT ref FROM subjects');
          expect(people.length).to.be.greaterThan(1);
          const now = new Date();
          for (const { ref } of people) {
            const whole = (await openedLedger.historyOf(store, ref)).map(assuredRecordOf);
            expect(whole.length, ref).to.be.greaterThan(0);
            expect(await subjects.stateOf(ref, { now }), ref).to.deep.equal(
              evaluateConsent({ policy: subjects.policy, history: whole, context: { now } }),
            );
          }
          // Each old entry is proved in the grown tree, checked by the spec's algorithm.
          const inputs = after.map((r) => entryLeafInput(r));
          const grown = merkleTreeHash(inputs);
          for (let index = 0; index < OLD_ENTRIES; index++) {
            const response = await opened.app.request(`/v1/log/inclusion?index=${index}`);
            const body = (await response.json()) as { size: number; proof: string[] };
            expect(body.size).to.equal(OLD_ENTRIES + 2);
            const proof = body.proof.map((h) => Buffer.from(h, 'base64'));
            expect(
              checkInclusion(index, body.size, leafHashOf(inputs[index] as Buffer), proof, grown),
              `leaf ${index}`,
            ).to.equal(true);
          }
        } finally {
          await opened.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
        await ledger.drop();
      }
    });
  });
}
