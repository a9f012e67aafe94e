// Witnesses of the transparency log (R72): `consentkit witness` keeps the checkpoints it cosigned,
// refuses a truncation and a fork even when the ledger re-signed them with its own key, and cosigns
// consistent growth; the server's publisher hands each new checkpoint to an append-only folder and
// to a witness over HTTP (C2SP tlog-witness). Cosignatures are checked by a verifier written in the
// test from C2SP tlog-cosignature; each case runs on its own ledger, on PGlite and PostgreSQL.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createTestSigner } from '@consentkit/test-support/keys';
import {
  cli,
  cliTargets,
  createTestLedger,
  postChain,
  postRecords,
  type ServedApp,
  serveOverHttp,
  signedRecord,
  storeFactories,
  type TestLedger,
  type TestStore,
} from '@consentkit/test-support/server';
import { expect } from 'chai';
import { checkCosignature, noteBody, parseCosignerKey } from '../../test/support/cosignature-verifier.js';
import { openCheckpoint, parseVerifierKey } from '../../test/support/log-verifier.js';
import { createLedgerStatusCache } from '../admin/ledger-status.js';
import { loadConfig } from '../runtime/config.js';
import { openServer } from '../runtime/server.js';
import { type PublisherEvent, startCheckpointPublisher } from './checkpoint-publisher.js';
import { cosignerVerifierKey, parseCosignerVerifierKey } from './cosignature.js';
import { startWitnessServer } from './witness-command.js';

async function append(t: TestLedger, count: number) {
  const signer = await createTestSigner();
  let prev: string | null = null;
  for (let i = 0; i < count; i++) {
    const r = await signedRecord({ signer, policy: t.policy, prev });
    expect((await postRecords(t.app, [{ jws: r.jws }])).status).to.equal(200);
    prev = r.digest;
  }
}

/**
 * The insider (database and master key): keeps the first `keep` entries, drops the rest with their
 * checkpoints and stored tree, and has the ledger sign the head it left.
 */
async function cutAndResign(t: TestLedger, keep: number) {
  await t.context.store.transaction(async (q) => {
    await q.exec(`DELETE FROM ledger_entries WHERE seq > ${keep}`);
    await q.exec(`DELETE FROM checkpoints WHERE seq > ${keep}`);
    await q.exec('DELETE FROM merkle_nodes');
    await q.exec(
      `UPDATE ledger_head SET seq = ${keep}, entry_hash = (SELECT entry_hash FROM ledger_entries WHERE seq = ${keep}) WHERE id = 1`,
    );
  });
  await t.context.ledger.seal();
  // A plain verify sees nothing: the ledger is consistent with itself.
  expect((await t.verify()).ok).to.equal(true);
}

for (const factory of storeFactories()) {
  describe(`consentkit witness — R72 (${factory.name})`, () => {
    let db: TestStore;
    let t: TestLedger;
    let ledger: ServedApp;
    let dir: string;
    const witnessDir = () => join(dir, 'witness');
    const checkpointNow = async () => (await fetch(`${ledger.url}/v1/log/checkpoint`)).text();

    async function initWitness() {
      const made = await cli([
        'witness',
        'init',
        '--dir',
        witnessDir(),
        '--name',
        'witness.example/w1',
        '--ledger',
        ledger.url,
      ]);
      expect(made.code, made.err).to.equal(0);
      return parseCosignerKey(made.out.split('\n')[1] ?? '');
    }
    const add = () => cli(['witness', 'add', '--dir', witnessDir(), '--ledger', ledger.url]);
    const latestSize = () => Number(readFileSync(join(witnessDir(), 'latest.cp'), 'utf8').split('\n')[1]);

    beforeEach(async () => {
      db = await factory.create();
      t = await createTestLedger(db.store, { checkpointEvery: 5 });
      ledger = await serveOverHttp((request) => t.app.fetch(request));
      dir = mkdtempSync(join(tmpdir(), 'ck-witness-'));
    });
    afterEach(async () => {
      await ledger.close();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('cosigns consistent growth; each cosignature verifies per C2SP tlog-cosignature', async () => {
      await append(t, 3);
      const cosigner = await initWitness();
      const logKey = parseVerifierKey(await (await fetch(`${ledger.url}/v1/log/key`)).text());
      for (const grow of [0, 4, 0, 9]) {
        await append(t, grow);
        const note = await checkpointNow();
        const added = await add();
        expect(added.code, added.err).to.equal(0);
        const line = added.out.split('\n')[1] ?? '';
        const time = checkCosignature(line, noteBody(note), cosigner);
        expect(Math.abs(time - Date.now() / 1000)).to.be.lessThan(600);
        // The kept checkpoint carries the log's signature and the cosignature, both valid.
        const kept = readFileSync(join(witnessDir(), 'latest.cp'), 'utf8');
        expect(openCheckpoint(kept, logKey.name, logKey.key).size).to.equal(
          openCheckpoint(note, logKey.name, logKey.key).size,
        );
        checkCosignature(`${kept.trimEnd().split('\n').at(-1)}\n`, noteBody(kept), cosigner);
        // Another key or another checkpoint body does not verify.
        expect(() => checkCosignature(line, noteBody(note).replace(/\n\d+\n/, '\n999\n'), cosigner)).to.throw(
          /does not verify/,
        );
      }
      expect(latestSize()).to.equal(16);
      expect(readdirSync(join(witnessDir(), 'cosigned'))).to.have.length(3);
      expect(existsSync(join(witnessDir(), 'refused'))).to.equal(false);
    });

    it('refuses a truncation re-signed with the ledger key, naming both sizes', async () => {
      await append(t, 6);
      await initWitness();
      expect((await add()).code).to.equal(0);
      await cutAndResign(t, 3);
      const refused = await add();
      expect(refused.code, refused.out).to.equal(1);
      expect(refused.err).to.match(
        /REFUSED \(409\): truncation: the checkpoint is for 3 entries, but this witness cosigned 6 entries/,
      );
      expect(refused.err).to.match(/entries 4 to 6 are gone/);
      expect(latestSize()).to.equal(6);
      // The refused checkpoint, signed by the ledger, is kept: evidence for an auditor; once, however
      // often it is offered again.
      expect((await add()).code).to.equal(1);
      expect(readdirSync(join(witnessDir(), 'refused'))).to.have.length(1);
    });

    it('refuses a fork re-signed with the ledger key (longer, or the same size with another root)', async () => {
      await append(t, 6);
      await initWitness();
      expect((await add()).code).to.equal(0);
      await cutAndResign(t, 3);
      await append(t, 3);
      const same = await add();
      expect(same.code).to.equal(1);
      expect(same.err).to.match(
        /fork: the checkpoint for 6 entries has root \S+, this witness cosigned root \S+ for the same size/,
      );
      await append(t, 4);
      const longer = await add();
      expect(longer.code).to.equal(1);
      expect(longer.err).to.match(
        /REFUSED \(422\): fork: the checkpoint for 10 entries .* does not extend the 6 entries this witness cosigned/,
      );
      expect(latestSize()).to.equal(6);
      expect(readdirSync(join(witnessDir(), 'refused'))).to.have.length(2);
    });

    it('refuses a checkpoint of another log, or not signed by the log key, and says how to start one', async () => {
      await append(t, 2);
      await initWitness();
      const note = await checkpointNow();
      const forged = note.replace(
        / (\S+)\n$/,
        (_, sig: string) => ` ${sig.startsWith('A') ? 'B' : 'A'}${sig.slice(1)}\n`,
      );
      const file = join(dir, 'forged.cp');
      writeFileSync(file, forged);
      const bad = await cli(['witness', 'add', '--dir', witnessDir(), '--ledger', ledger.url, '--checkpoint', file]);
      expect(bad.code).to.equal(1);
      expect(bad.err).to.match(/\(403\): the checkpoint for 2 entries is not signed by the log's key/);
      const none = await cli(['witness', 'add', '--dir', join(dir, 'nothing'), '--ledger', ledger.url]);
      expect(none.code).to.equal(2);
      expect(none.err).to.match(/witness init/);
      const usage = await cli(['witness', 'dance', '--dir', witnessDir()]);
      expect(usage.code).to.equal(2);
      expect(usage.err).to.match(/init, add, serve or show/);
    });

    it("the server's publisher feeds a folder and a witness over HTTP; a witness down delays nothing; a fork is refused", async () => {
      await append(t, 3);
      await initWitness();
      let witness = await startWitnessServer({ dir: witnessDir() });
      const port = new URL(witness.url).port;
      const events: PublisherEvent[] = [];
      const folder = join(dir, 'published');
      // A long interval: the rounds are driven by publishNow, so nothing here waits on a timer.
      const publisher = startCheckpointPublisher({
        store: t.context.store,
        tree: t.context.tree,
        folder,
        witnesses: [`${witness.url}/add-checkpoint`],
        intervalMs: 3_600_000,
        onEvent: (e) => events.push(e),
      });
      try {
        await publisher.publishNow();
        expect(events.filter((e) => e.kind === 'published').map((e) => e.size)).to.deep.equal([3, 3]);
        expect(witness.witness.latest()?.size).to.equal(3);
        const cosigner = parseCosignerKey(witness.witness.verifierKey);
        const cosigned = events.find((e) => e.kind === 'published' && e.cosignature);
        checkCosignature(
          `${cosigned?.kind === 'published' ? cosigned.cosignature : ''}\n`,
          noteBody(await checkpointNow()),
          cosigner,
        );

        // The witness goes away: records are still accepted, the failure is reported and retried.
        await witness.close();
        await append(t, 2);
        await publisher.publishNow();
        const failed = events.at(-1);
        expect(failed).to.include({ kind: 'failed', size: 5 });
        expect(readdirSync(folder)).to.deep.equal(['0000000000000003.cp', '0000000000000005.cp']);
        witness = await startWitnessServer({ dir: witnessDir(), port: Number(port) });
        await publisher.publishNow();
        expect(events.at(-1)).to.include({ kind: 'published', size: 5 });
        expect(witness.witness.latest()?.size).to.equal(5);

        // The insider forks the ledger and re-signs it: the witness refuses what the publisher sends.
        await cutAndResign(t, 2);
        await append(t, 4);
        await publisher.publishNow();
        const refused = events.find((e) => e.kind === 'conflict');
        expect(refused?.target).to.equal(`${witness.url}/add-checkpoint`);
        expect(refused && 'reason' in refused ? refused.reason : '').to.match(
          /HTTP 422: fork: .*does not extend the 5 entries/,
        );
        expect(witness.witness.latest()?.size).to.equal(5);
        // A truncation below what the witness has: its 409 names the size it holds.
        await cutAndResign(t, 4);
        await publisher.publishNow();
        expect(events.at(-1)).to.include({ kind: 'conflict', size: 4 });
        expect((events.at(-1) as { reason: string }).reason).to.match(
          /cosigned 5 entries, the ledger's head has 4: the ledger was truncated/,
        );
        // The folder keeps every head it was handed, the forked ones too: evidence beside the witness's.
        expect(readdirSync(folder)).to.include.members([
          '0000000000000003.cp',
          '0000000000000005.cp',
          '0000000000000006.cp',
          '0000000000000004.cp',
        ]);
      } finally {
        await publisher.stop();
        await witness.close();
      }
    });

    it('keeps the cosignatures that verify against the configured key, serves them with the checkpoint, and keeps a refusal for the ledger status', async () => {
      await append(t, 3);
      await initWitness();
      const witness = await startWitnessServer({ dir: witnessDir() });
      // A second witness configured with the first one's key: what it returns must not be kept.
      const otherDir = join(dir, 'other');
      const madeOther = await cli([
        'witness',
        'init',
        '--dir',
        otherDir,
        '--name',
        'witness.example/w1',
        '--ledger',
        ledger.url,
      ]);
      expect(madeOther.code, madeOther.err).to.equal(0);
      const other = await startWitnessServer({ dir: otherDir });
      const key = parseCosignerVerifierKey(witness.witness.verifierKey);
      if ('reason' in key) throw new Error(key.reason);
      const events: PublisherEvent[] = [];
      const publisher = startCheckpointPublisher({
        store: t.context.store,
        tree: t.context.tree,
        witnesses: [
          { url: `${witness.url}/add-checkpoint`, key },
          { url: `${other.url}/add-checkpoint?token=secret`, key },
        ],
        intervalMs: 3_600_000,
        onEvent: (e) => events.push(e),
      });
      const status = createLedgerStatusCache({
        store: t.context.store,
        ledger: t.context.ledger,
        keyring: t.context.keyring,
      });
      const logKey = parseVerifierKey(await (await fetch(`${ledger.url}/v1/log/key`)).text());
      const cosigner = parseCosignerKey(witness.witness.verifierKey);
      try {
        await publisher.publishNow();
        // The served note: the log's signature, then exactly one cosignature, the good witness's.
        const note = await checkpointNow();
        expect(openCheckpoint(note, logKey.name, logKey.key).size).to.equal(3);
        const lines = note.slice(note.indexOf('\n\n') + 2, -1).split('\n');
        expect(lines).to.have.length(2);
        const time = checkCosignature(`${lines[1]}\n`, noteBody(note), cosigner);
        expect(Math.abs(time - Date.now() / 1000)).to.be.lessThan(600);
        const bad = events.find((e) => e.kind === 'failed');
        // The URL's query (a token) never reaches an event, the log or the database.
        expect(bad).to.deep.include({ target: `${other.url}/add-checkpoint`, size: 3 });
        expect(bad && 'reason' in bad ? bad.reason : '').to.match(
          /cosignature not kept: the cosignature names another key ID/,
        );

        // A newer head carries no cosignature until a witness signed its size.
        await append(t, 2);
        const newer = await checkpointNow();
        expect(newer.slice(newer.indexOf('\n\n') + 2, -1).split('\n')).to.have.length(1);
        await publisher.publishNow();
        const signed = await checkpointNow();
        checkCosignature(`${signed.trimEnd().split('\n').at(-1)}\n`, noteBody(signed), cosigner);
        expect((await status.current()).witnesses).to.deep.include({ refusals: [] });
        expect((await status.current()).witnesses?.cosigned).to.deep.equal([
          { witness: key.name, size: 5, cosignedAt: (await status.current()).witnesses?.cosigned[0]?.cosignedAt },
        ]);

        // A fork re-signed by the insider: the refusal is kept and shown, with sizes and reason only.
        await cutAndResign(t, 2);
        await append(t, 4);
        await publisher.publishNow();
        const refusals = (await status.current()).witnesses?.refusals ?? [];
        expect(refusals.map((r) => [r.target, r.size])).to.deep.include([`${witness.url}/add-checkpoint`, 6]);
        expect(refusals.find((r) => r.target === `${witness.url}/add-checkpoint`)?.reason).to.match(
          /HTTP 422: fork: .*does not extend the 5 entries/,
        );
        const stored = await t.context.store.query<{ target: string }>('SELECT target FROM witness_refusals');
        expect(stored.every((r) => !r.target.includes('secret'))).to.equal(true);
        // The forked head of 6 entries carries no cosignature from the witness that refused it.
        const forked = await checkpointNow();
        expect(forked.slice(forked.indexOf('\n\n') + 2, -1).split('\n')).to.have.length(1);
      } finally {
        await publisher.stop();
        await witness.close();
        await other.close();
      }
    });

    it('the folder refuses to overwrite: a different checkpoint for a size already published is a conflict', async () => {
      await append(t, 4);
      const folder = join(dir, 'published');
      const events: PublisherEvent[] = [];
      const publisher = startCheckpointPublisher({
        store: t.context.store,
        tree: t.context.tree,
        folder,
        intervalMs: 3_600_000,
        onEvent: (e) => events.push(e),
      });
      try {
        await publisher.publishNow();
        const first = readFileSync(join(folder, '0000000000000004.cp'), 'utf8');
        await cutAndResign(t, 2);
        await append(t, 2);
        await publisher.publishNow();
        expect(events.at(-1)).to.include({ kind: 'conflict', size: 4 });
        expect((events.at(-1) as { reason: string }).reason).to.match(
          /already holds a different checkpoint for 4 entries/,
        );
        expect(readFileSync(join(folder, '0000000000000004.cp'), 'utf8')).to.equal(first);
      } finally {
        await publisher.stop();
      }
    });
  });
}

for (const target of cliTargets('ck-publish-')) {
  describe(`the server publishes its checkpoints as configured — R72 (${target.name})`, () => {
    it('CONSENTKIT_CHECKPOINT_DIR receives the signed head of every round while records are accepted', async () => {
      const folder = mkdtempSync(join(tmpdir(), 'ck-published-'));
      const ledger = await target.create([
        '--checkpoint-dir',
        folder,
        '--checkpoint-publish-interval',
        '100ms',
        '--port',
        '0',
      ]);
      const opened = await openServer(loadConfig({ argv: ledger.flags, env: {} }));
      const running = await opened.listen();
      try {
        expect(await postChain(opened, ['a@example.com', 'b@example.com', 'c@example.com'])).to.deep.equal([
          200, 200, 200,
        ]);
        // Wait for the publisher's round (every 100 ms); the deadline only bounds a broken run.
        const want = '0000000000000003.cp';
        for (let waited = 0; !readdirSync(folder).includes(want) && waited < 60_000; waited += 50)
          await new Promise((done) => setTimeout(done, 50));
        expect(readdirSync(folder)).to.include(want);
        const head = await (await opened.app.request('/v1/log/checkpoint')).text();
        expect(readFileSync(join(folder, want), 'utf8')).to.equal(head);
      } finally {
        await running.stop();
        await ledger.drop();
        rmSync(folder, { recursive: true, force: true });
      }
    });
  });
}

describe('witness configuration', () => {
  it('reads the folder, the witness URLs and the interval, and names the variable of a bad value', () => {
    const none = loadConfig({ env: {}, argv: [] });
    expect(none).to.include({ checkpointDir: undefined, checkpointPublishInterval: 1000 });
    expect(none.witnessUrls).to.deep.equal([]);
    const set = loadConfig({
      env: { CONSENTKIT_WITNESS_URLS: 'https://w1.example/add-checkpoint, http://10.0.0.2:8790/add-checkpoint' },
      argv: ['--checkpoint-dir', '/tmp/cps', '--checkpoint-publish-interval', '30s'],
    });
    expect(set.witnessUrls).to.deep.equal(['https://w1.example/add-checkpoint', 'http://10.0.0.2:8790/add-checkpoint']);
    expect(set).to.include({ checkpointDir: '/tmp/cps', checkpointPublishInterval: 30_000 });
    expect(() => loadConfig({ env: { CONSENTKIT_WITNESS_URLS: 'witness.example' }, argv: [] })).to.throw(
      /CONSENTKIT_WITNESS_URLS \(--witness-urls\): each witness URL must be an http\(s\) URL/,
    );
    // One cosigner key per URL, in order, each a C2SP cosignature/v1 verifier key.
    const vkey = cosignerVerifierKey('witness.example/w1', Buffer.alloc(32, 7));
    expect(
      loadConfig({
        env: { CONSENTKIT_WITNESS_URLS: 'https://w1.example/add-checkpoint', CONSENTKIT_WITNESS_KEYS: vkey },
        argv: [],
      }).witnessKeys,
    ).to.deep.equal([vkey]);
    expect(() =>
      loadConfig({
        env: { CONSENTKIT_WITNESS_URLS: 'https://w1.example/a,https://w2.example/a', CONSENTKIT_WITNESS_KEYS: vkey },
        argv: [],
      }),
    ).to.throw(/CONSENTKIT_WITNESS_KEYS \(--witness-keys\): 1 keys for 2 witness URLs/);
    expect(() =>
      loadConfig({
        env: {
          CONSENTKIT_WITNESS_URLS: 'https://w1.example/a',
          CONSENTKIT_WITNESS_KEYS: vkey.replace(/\+[0-9a-f]{8}\+/, '+00000000+'),
        },
        argv: [],
      }),
    ).to.throw(/CONSENTKIT_WITNESS_KEYS \(--witness-keys\): the key hash 00000000 does not match/);
  });
});
