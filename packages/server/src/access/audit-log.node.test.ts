import { type ChainEntry, verifyChain } from '@consentkit/core';
import { storeFactories, type TestStore } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { migrate } from '../platform/store/migrate.js';
import { appendAudit, listAudit, recordAudit, verifyAudit } from './audit-log.js';

// Access: the audit trail is its own hash chain (core entryHash), so an edited, deleted
// or reordered audit row is detected like a ledger entry.
for (const factory of storeFactories()) {
  describe(`audit trail (${factory.name})`, () => {
    let db: TestStore;
    beforeEach(async () => {
      db = await factory.create();
      await migrate(db.store);
      await recordAudit(db.store, { actor: 'key:a', action: 'subject.state', target: 'ref-1', ip: '203.0.113.9' });
      await recordAudit(db.store, { actor: 'key:a', action: 'subject.records', target: 'ref-1', ip: null });
      await db.store.transaction((tx) =>
        appendAudit(tx, {
          actor: 'cli:ops',
          action: 'subject.erase',
          target: 'ref-2',
          ip: null,
          detail: { openings: 2 },
        }),
      );
    });
    afterEach(() => db.close());

    it('appends who, when, what, on whom and from where, chained from the genesis hash', async () => {
      const entries = await listAudit(db.store);
      expect(entries.map((e) => e.seq)).to.deep.equal([1, 2, 3]);
      expect(entries[0]).to.include({ actor: 'key:a', action: 'subject.state', target: 'ref-1', ip: '203.0.113.9' });
      expect(entries[0]?.at).to.match(/^\d{4}-\d\d-\d\dT/);
      expect(entries[2]?.detail).to.deep.equal({ openings: 2 });
      expect(await verifyAudit(db.store)).to.deep.equal({ ok: true, count: 3 });
      // The rows check with core's verifier alone (what an auditor would run on an export).
      const chain = entries.map((e) => ({ ...e }) as unknown as ChainEntry);
      expect(await verifyChain(chain)).to.deep.equal({ ok: true, count: 3 });
    });

    it('a rolled-back transaction leaves no audit entry (the change and its record go together)', async () => {
      const attempt = db.store.transaction(async (tx) => {
        await appendAudit(tx, { actor: 'key:a', action: 'api-key.revoke', target: 'k', ip: null });
        throw new Error('the audited change failed');
      });
      await attempt.then(
        () => expect.fail('should reject'),
        (error: unknown) => expect(String(error)).to.include('failed'),
      );
      expect(await listAudit(db.store)).to.have.length(3);
      expect((await verifyAudit(db.store)).ok).to.equal(true);
    });

    it('detects an edited row, a deleted row and a dropped tail', async () => {
      await db.store.query("UPDATE audit_log SET actor = 'key:someone-else' WHERE seq = 2");
      expect(await verifyAudit(db.store)).to.deep.include({ ok: false, seq: 2, reason: 'entry-hash' });
      await db.store.query("UPDATE audit_log SET actor = 'key:a' WHERE seq = 2");
      expect((await verifyAudit(db.store)).ok).to.equal(true);

      await db.store.query('UPDATE audit_log SET detail = \'{"openings":0}\' WHERE seq = 3');
      expect(await verifyAudit(db.store)).to.deep.include({ ok: false, seq: 3, reason: 'entry-hash' });
    });

    it('appends submitted together are one group (one write, one time) and keep the chain', async () => {
      const inputs = Array.from({ length: 30 }, (_, i) => ({
        actor: 'key:a',
        action: 'subject.state' as const,
        target: `ref-${i}`,
        ip: null,
      }));
      const written = await Promise.all(inputs.map((input) => recordAudit(db.store, input)));
      expect(written.map((e) => e.seq)).to.deep.equal(inputs.map((_, i) => 4 + i));
      expect(new Set(written.map((e) => e.at)).size).to.equal(1);
      expect(await verifyAudit(db.store)).to.deep.equal({ ok: true, count: 33 });
    });

    it('another writer moving the head between groups is noticed: nothing is lost or forked', async () => {
      for (let round = 0; round < 3; round++) {
        const grouped = Promise.all(
          [1, 2, 3].map((i) =>
            recordAudit(db.store, { actor: 'key:a', action: 'subject.state', target: `r${i}`, ip: null }),
          ),
        );
        // An audited change in its own transaction (erasure, key revocation) while the group waits.
        await db.store.transaction((tx) =>
          appendAudit(tx, { actor: 'cli:ops', action: 'api-key.revoke', target: `k${round}`, ip: null }),
        );
        await grouped;
      }
      expect(await verifyAudit(db.store)).to.deep.equal({ ok: true, count: 3 + 3 * 4 });
      const seqs = (await listAudit(db.store)).map((e) => e.seq);
      expect(seqs).to.deep.equal(seqs.map((_, i) => i + 1));
    });

    it('detects a deleted middle row and a deleted last row', async () => {
      await db.store.query('DELETE FROM audit_log WHERE seq = 3');
      expect(await verifyAudit(db.store)).to.deep.include({ ok: false, reason: 'head' });
      await db.store.query('DELETE FROM audit_log WHERE seq = 1');
      expect(await verifyAudit(db.store)).to.deep.include({ ok: false, seq: 2 });
    });
  });
}
