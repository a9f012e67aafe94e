import { createTestSigner } from '@consentkit/test-support/keys';
import {
  createTestLedger,
  describeEachStore,
  insertForgedEntry,
  postRecords,
  rewriteEntryRehashed,
  signedRecord,
  storeFactories,
  type TestLedger,
  twoServerStores,
} from '@consentkit/test-support/server';
import { expect } from 'chai';
import type { Queryable } from '../platform/store/store.js';
import { type LedgerVerification, verifyLedger } from './verify-ledger.js';

/** Fills a ledger with `count` chained records from one device, checkpoints every 5. */
export async function fillLedger(t: TestLedger, count: number): Promise<void> {
  const signer = await createTestSigner();
  const items: { jws: string; opening?: unknown }[] = [];
  let prev: string | null = null;
  for (let i = 0; i < count; i++) {
    const signed = await signedRecord({ signer, policy: t.policy, prev, email: `p${i % 3}@example.com` });
    items.push({ jws: signed.jws, opening: signed.opening });
    prev = signed.digest;
  }
  const response = await postRecords(t.app, items);
  const body = (await response.json()) as { results: { status: string }[] };
  if (body.results.some((r) => r.status !== 'accepted')) throw new Error(JSON.stringify(body));
}

describeEachStore(
  'verifyLedger — R72',
  (s) => {
    let keys: Awaited<ReturnType<TestLedger['context']['keyring']['publicJwks']>> = [];
    // Keys are read before any transaction: PGlite has one connection, busy inside a transaction.
    const verify = (q: Queryable = s.db.store) => verifyLedger({ store: q, ledger: s.t.context.ledger, keys });

    /**
     * Tampers with the real tables and verifies inside one transaction, then rolls it back, so
     * every case starts from the same sound ledger without rebuilding it.
     */
    async function tampered(sql: (tx: Queryable) => Promise<unknown>, ownResult = false): Promise<LedgerVerification> {
      let result: LedgerVerification | undefined;
      await s.db.store
        .transaction(async (tx) => {
          const own = await sql(tx);
          result = ownResult ? (own as LedgerVerification) : await verify(tx);
          throw new Error('rollback');
        })
        .catch((error: unknown) => {
          if ((error as Error).message !== 'rollback') throw error;
        });
      if (!result) throw new Error('no result');
      return result;
    }

    before(async () => {
      await fillLedger(s.t, 12);
      keys = await s.t.context.keyring.publicJwks();
    });

    it('passes an untouched ledger, server-made records included', async () => {
      const subject = (await s.db.store.query<{ ref: string }>('SELECT ref FROM subjects ORDER BY ref LIMIT 1'))[0];
      const made = await s.t.context.subjects.recordServerDecision({
        subjectRef: subject?.ref ?? '',
        decisions: [{ purpose: 'marketing', granted: false }],
        method: 'one-click-email',
        collectionPoint: { flow: 'test' },
        gpc: null,
        locale: 'en',
      });
      expect(made.changed).to.equal(true);
      const result = await verify();
      expect(result).to.deep.include({ ok: true, count: 13, checkpoints: 2, headSeq: 13 });
    });

    it('names an entry changed in the database (SQL UPDATE)', async () => {
      const result = await tampered((tx) => tx.exec('UPDATE ledger_entries SET subject_ref = NULL WHERE seq = 6'));
      expect(result).to.include({ ok: false, seq: 6 });
      expect(result.ok ? '' : result.reason).to.match(/changed/);
    });

    it('names a deleted entry (SQL DELETE)', async () => {
      expect(await tampered((tx) => tx.exec('DELETE FROM ledger_entries WHERE seq = 6'))).to.include({
        ok: false,
        seq: 6,
      });
    });

    it('names reordered entries (seq swapped)', async () => {
      const result = await tampered(async (tx) => {
        await tx.exec('UPDATE ledger_entries SET seq = -1 WHERE seq = 6');
        await tx.exec('UPDATE ledger_entries SET seq = 6 WHERE seq = 7');
        await tx.exec('UPDATE ledger_entries SET seq = 7 WHERE seq = -1');
      });
      expect(result).to.include({ ok: false, seq: 6 });
    });

    it('names an inserted entry, even one whose hashes were recomputed (its receipt cannot be forged)', async () => {
      const result = await tampered((tx) => insertForgedEntry(tx, { seq: 6, policy: s.t.policy }));
      expect(result).to.include({ ok: false, seq: 6 });
      expect(result.ok ? '' : result.reason).to.match(/receipt/);
    });

    it('a changed entry with every later hash recomputed fails its checkpoint and is named by its receipt', async () => {
      const result = await tampered((tx) => rewriteEntryRehashed(tx, 3));
      expect(result).to.include({ ok: false, seq: 3 });
      expect(result.ok ? '' : result.reason).to.match(/receipt/);
    });

    it('signatures: true re-verifies device signatures the default walk takes from the chain', async () => {
      const signer = await createTestSigner();
      const signed = await signedRecord({ signer, policy: s.t.policy, prev: null });
      const [h, p, sig] = signed.jws.split('.') as [string, string, string];
      const flipped = `${h}.${p}.${sig.startsWith('A') ? 'B' : 'A'}${sig.slice(1)}`;
      let plain: LedgerVerification | undefined;
      const full = await tampered(async (tx) => {
        // As if the ledger had stored a bad signature itself (a bug at ingest): chain and receipt are sound.
        const head = (
          await tx.query<{ seq: number; entry_hash: string; frontier: string; origin: string }>(
            'SELECT * FROM ledger_head',
          )
        )[0];
        const frontier = (JSON.parse(head?.frontier ?? '[]') as string[]).map((h) => Buffer.from(h, 'base64'));
        await s.t.context.ledger.appendMany(
          {
            ...tx,
            head: { seq: Number(head?.seq), entryHash: head?.entry_hash ?? '', frontier, origin: head?.origin ?? '' },
          },
          [
            {
              recordId: signed.record.id,
              kid: signer.kid,
              digest: signed.digest,
              jws: flipped,
              subjectRef: null,
              assurance: 'device',
            },
          ],
        );
        plain = await verify(tx);
        const result = await verifyLedger({ store: tx, ledger: s.t.context.ledger, keys, signatures: true });
        return result;
      }, true);
      expect(plain?.ok).to.equal(true);
      expect(full).to.include({ ok: false, recordId: signed.record.id });
      expect(full.ok ? '' : full.reason).to.match(/record signature/);
    });

    it('detects a dropped tail against the signed checkpoint and the head', async () => {
      const result = await tampered(async (tx) => {
        await tx.exec('DELETE FROM ledger_entries WHERE seq > 8');
        await tx.exec(
          'UPDATE ledger_head SET seq = 8, entry_hash = (SELECT entry_hash FROM ledger_entries WHERE seq = 8) WHERE id = 1',
        );
      });
      expect(result.ok).to.equal(false);
      expect(result.ok ? '' : result.reason).to.match(/checkpoint 10/);
    });
  },
  { checkpointEvery: 5 },
);

for (const factory of storeFactories()) {
  describe(`two instances on one database (${factory.name})`, () => {
    const stores = twoServerStores(factory);

    it('interleaved concurrent appends from both keep one verifiable chain (head-row lock)', async () => {
      const a = await createTestLedger(stores.first, { checkpointEvery: 7 });
      const b = await createTestLedger(stores.second, { checkpointEvery: 7 });
      const post = async (t: TestLedger, email: string) => {
        const signed = await signedRecord({ signer: await createTestSigner(), policy: t.policy, prev: null, email });
        const body = (await (await postRecords(t.app, [{ jws: signed.jws, opening: signed.opening }])).json()) as {
          results: { status: string }[];
        };
        return body.results[0]?.status;
      };
      const statuses = await Promise.all(
        Array.from({ length: 24 }, (_, i) => post(i % 2 === 0 ? a : b, `shared${i % 4}@example.com`)),
      );
      expect(statuses.every((s) => s === 'accepted')).to.equal(true);
      const result = await verifyLedger({
        store: stores.first,
        ledger: a.context.ledger,
        keys: await a.context.keyring.publicJwks(),
      });
      expect(result).to.deep.include({ ok: true, count: 24, checkpoints: 3 });
      const subjects = await stores.first.query<{ n: number }>('SELECT count(*)::int AS n FROM subjects');
      expect(subjects[0]?.n).to.equal(4);
    });
  });
}
