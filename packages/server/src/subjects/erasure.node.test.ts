import { createTestSigner, TEST_API_KEY } from '@consentkit/test-support/keys';
import { describeOnDisk, dumpAllTables, postRecords, signedRecord } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { listAudit, verifyAudit } from '../access/audit-log.js';
import { subjectKeyFor } from '../platform/crypto/subject-keys.js';

// Encryption and erasure: crypto-shredding. After DELETE /v1/subjects/{ref} the ledger
// verifies, the person cannot be found or linked, and the address is nowhere in the database —
// checked in the raw PGlite files and in every text column on PostgreSQL.
const ERASED = 'Kim.Erase@Example.com';
const KEPT = 'lou@example.com';

describeOnDisk('erasure / crypto-shredding', (d) => {
  const auth = { authorization: `Bearer ${TEST_API_KEY}` };
  let erasedRef = '';
  let keptRef = '';
  let erasedSealed: { record_id: string; sealed: string }[] = [];

  before(async () => {
    const signer = await createTestSigner();
    let prev: string | null = null;
    for (const email of [ERASED, KEPT, ERASED]) {
      const signed = await signedRecord({
        signer,
        policy: d.t.policy,
        prev,
        email,
      });
      const response = await postRecords(d.t.app, [{ jws: signed.jws, opening: signed.opening }]);
      expect(response.status).to.equal(200);
      prev = signed.digest;
    }
    const state = async (email: string) =>
      (await (await d.t.app.request(`/v1/subjects/${encodeURIComponent(email)}/state`, { headers: auth })).json()) as {
        subject: string;
      };
    erasedRef = (await state(ERASED)).subject;
    keptRef = (await state(KEPT)).subject;
    // What a backup taken before the erasure would hold.
    erasedSealed = await d.disk.store.query('SELECT record_id, sealed FROM openings WHERE subject_ref = $1', [
      erasedRef,
    ]);
    expect(erasedSealed).to.have.length(2);
    const response = await d.t.app.request(`/v1/subjects/${encodeURIComponent(ERASED.toUpperCase())}`, {
      method: 'DELETE',
      headers: auth,
    });
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.include({ erased: true, subjectRef: erasedRef, openings: 2, dataKeys: 1 });
  });

  it('the ledger still verifies end to end, every record kept', async () => {
    expect(await d.t.verify()).to.deep.include({ ok: true, count: 3 });
  });

  it('the person is unknown: 404 by address and by ref, for state and records', async () => {
    for (const path of [
      `/v1/subjects/${encodeURIComponent(ERASED)}/state`,
      `/v1/subjects/${erasedRef}/state`,
      `/v1/subjects/${erasedRef}/records`,
    ]) {
      expect((await d.t.app.request(path, { headers: auth })).status, path).to.equal(404);
    }
    const kept = await d.t.app.request(`/v1/subjects/${encodeURIComponent(KEPT)}/records`, { headers: auth });
    expect(kept.status).to.equal(200);
  });

  it('the records can no longer be linked to the person: no opening, blind index, commitment link or key', async () => {
    for (const table of ['openings', 'subject_keys', 'commitments']) {
      const rows = await d.disk.store.query(`SELECT subject_ref FROM ${table} WHERE subject_ref = $1`, [erasedRef]);
      expect(rows, table).to.have.length(0);
    }
    expect(await d.disk.store.query('SELECT ref FROM subjects WHERE ref = $1', [erasedRef])).to.have.length(0);
    const index = await d.t.context.keyring.blindIndex(`email:${ERASED.toLowerCase()}`);
    expect(await dumpAllTables(d.disk.store)).to.not.include(index);
  });

  it('crypto-shredding: a copy of the sealed openings no longer opens with any key the ledger holds', async () => {
    const wrapping = d.t.context.keyring.openingBox.box;
    // The kept person's opening opens with their own data key: the per-subject keys work.
    const kept = await d.disk.store.query<{ record_id: string; sealed: string }>(
      'SELECT record_id, sealed FROM openings WHERE subject_ref = $1',
      [keptRef],
    );
    const keptKey = await subjectKeyFor(d.disk.store, wrapping, keptRef);
    const opened = await keptKey.box.open(kept[0]?.sealed ?? '', `opening:${kept[0]?.record_id}`);
    expect(new TextDecoder().decode(opened)).to.include(KEPT);
    for (const copy of erasedSealed) {
      for (const box of [wrapping, keptKey.box]) {
        await box.open(copy.sealed, `opening:${copy.record_id}`).then(
          () => expect.fail('a shredded opening opened'),
          () => {},
        );
      }
    }
  });

  it('the erasure is in the audit trail, without the address', async () => {
    const entries = await listAudit(d.disk.store);
    const erase = entries.find((e) => e.action === 'subject.erase');
    expect(erase).to.include({ actor: 'config-admin-key', target: erasedRef });
    expect(erase?.detail).to.deep.equal({ openings: 2, commitments: 2, dataKeys: 1 });
    expect(JSON.stringify(entries).toLowerCase()).to.not.include(ERASED.toLowerCase());
    expect((await verifyAudit(d.disk.store)).ok).to.equal(true);
  });

  it('the erased address is in no table (every text column) and, on PGlite, in no file of the data folder', async () => {
    expect(await d.leftovers([ERASED, 'kim.erase'])).to.deep.equal([]);
  });
});
