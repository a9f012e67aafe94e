// Upgrade in place (R72): a ledger as the release before the transparency log left it — no
// checkpoint key, no tree columns filled, no notes, no stored nodes — is sealed on the next start
// and then verifies end to end and answers proofs. The old state is made here by clearing what
// migration 006 and the checkpoint key added from a ledger built by this code (its entries,
// receipts and JWS checkpoints are byte-for-byte what the earlier release wrote), not by running
// the earlier release itself.
import { createTestSigner } from '@consentkit/test-support/keys';
import { createTestLedger, postRecords, signedRecord, storeFactories } from '@consentkit/test-support/server';
import { expect } from 'chai';
import {
  checkInclusion,
  entryLeafInput,
  leafHashOf,
  openCheckpoint,
  parseVerifierKey,
} from '../../test/support/log-verifier.js';
import { verifyLedger } from './verify-ledger.js';

for (const factory of storeFactories()) {
  describe(`transparency log: upgrade in place (${factory.name})`, () => {
    it('seals a ledger made before it on the next start; it verifies and proves inclusion', async () => {
      const db = await factory.create();
      try {
        const before = await createTestLedger(db.store, { checkpointEvery: 4 });
        const signer = await createTestSigner();
        let prev: string | null = null;
        for (let i = 0; i < 9; i++) {
          const r = await signedRecord({ signer, policy: before.policy, prev });
          expect((await postRecords(before.app, [{ jws: r.jws }])).status).to.equal(200);
          prev = r.digest;
        }
        await db.store.transaction(async (q) => {
          await q.exec(
            "UPDATE ledger_head SET tree_size = 0, frontier = '[]', origin = NULL, checkpoint = NULL WHERE id = 1",
          );
          await q.exec('UPDATE checkpoints SET note = NULL');
          await q.exec('DELETE FROM merkle_nodes');
          await q.exec("DELETE FROM keys WHERE purpose = 'checkpoint'");
        });
        const after = await createTestLedger(db.store, { checkpointEvery: 4 });
        const result = await verifyLedger({
          store: db.store,
          ledger: after.context.ledger,
          keys: await after.context.keyring.publicJwks(),
        });
        expect(result).to.deep.include({ ok: true, count: 9, checkpoints: 2, headSeq: 9 });
        const key = parseVerifierKey(await (await after.app.request('/v1/log/key')).text());
        const head = openCheckpoint(await (await after.app.request('/v1/log/checkpoint')).text(), key.name, key.key);
        expect(head.size).to.equal(9);
        const rows = await db.store.query<Parameters<typeof entryLeafInput>[0]>(
          'SELECT * FROM ledger_entries WHERE seq = 3',
        );
        const proof = (await (await after.app.request('/v1/log/inclusion?index=2')).json()) as { proof: string[] };
        const leaf = leafHashOf(entryLeafInput(rows[0] as Parameters<typeof entryLeafInput>[0]));
        expect(
          checkInclusion(
            2,
            9,
            leaf,
            proof.proof.map((p) => Buffer.from(p, 'base64')),
            head.root,
          ),
        ).to.equal(true);
        // Appends go on from the sealed head.
        const r = await signedRecord({ signer, policy: after.policy, prev });
        expect((await postRecords(after.app, [{ jws: r.jws }])).status).to.equal(200);
        const again = await verifyLedger({
          store: db.store,
          ledger: after.context.ledger,
          keys: await after.context.keyring.publicJwks(),
        });
        expect(again).to.deep.include({ ok: true, count: 10 });
      } finally {
        await db.close();
      }
    });
  });
}
