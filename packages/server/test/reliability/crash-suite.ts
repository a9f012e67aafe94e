// The crash suite, run by crash-pglite.node.test.ts and crash-postgres.node.test.ts (one file
// per store so the runner can run them side by side). Not a test file itself.
//
// Nothing lost: the real server process, on PGlite in a folder and on PostgreSQL, is
// killed with SIGKILL several times while clients deliver signed records; it is started again on
// the same data each time. Afterwards every record that got a receipt is in the ledger at the
// receipt's position, none is stored twice, and the ledger's own verifier accepts the chain.
// Then several clients deliver the same records at once, and again: each is stored once.
// CI runs 3 kills per store; `CONSENTKIT_CRASH_KILLS` raises it for the soak run.
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestSigner, TEST_MASTER_KEY_B64 } from '@consentkit/test-support/keys';
import { testPolicy } from '@consentkit/test-support/policy';
import { POLICY_FILE, type ServerProcess, signedRecord, startServerProcess } from '@consentkit/test-support/server';
import { expect } from 'chai';
import type { IngestResult } from '../../src/ingest/ingest.js';
import type { StoredEntry } from '../../src/ledger/entry.js';
import { verifyLedger } from '../../src/ledger/verify-ledger.js';
import { loadConfig } from '../../src/runtime/config.js';
import { openServer } from '../../src/runtime/server.js';

const KILLS = Number(process.env.CONSENTKIT_CRASH_KILLS) > 0 ? Number(process.env.CONSENTKIT_CRASH_KILLS) : 3;
const CLIENTS = 3;
/** New receipts to see between two kills, so each kill lands in the middle of real ingest. */
const RECEIPTS_PER_ROUND = 8;

type Receipt = { recordId: string; digest: string; seq: number; entryHash: string };
type Item = { jws: string; opening?: { salt: string; identifier: string; kind: 'email' } };

function claimsOf(receipt: string): Receipt {
  return JSON.parse(Buffer.from(receipt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Receipt;
}

/** POST a batch; undefined when the server was unreachable or cut off mid-request. */
async function deliver(url: string, items: readonly Item[]): Promise<IngestResult[] | undefined> {
  try {
    const response = await fetch(`${url}/v1/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ records: items }),
      signal: AbortSignal.timeout(60_000),
    });
    if (response.status !== 200) throw new Error(`status ${response.status}: ${await response.text()}`);
    return ((await response.json()) as { results: IngestResult[] }).results;
  } catch (error) {
    // A refused connection or a reset mid-response is what a crash looks like from outside.
    if (error instanceof Error && error.message.startsWith('status ')) throw error;
    return undefined;
  }
}

export type Target = { name: string; create(): Promise<{ flags: string[]; drop(): Promise<void> }> };

export function crashSuite(target: Target): void {
  describe(`reliability: kill -9 during ingest (${target.name}, real server process)`, () => {
    const policy = testPolicy();
    let flags: string[] = [];
    let drop: () => Promise<void> = async () => {};
    let server: ServerProcess | undefined;
    /** Every receipt any client was given, by record id (a repeat must carry the same claims). */
    const receipts = new Map<string, Receipt>();
    let sent = 0;
    /** Delivery attempts that failed (cut off by a kill, or refused while the server was down), then retried. */
    let interrupted = 0;
    const rejections: IngestResult[] = [];

    before(async () => {
      const created = await target.create();
      drop = created.drop;
      flags = [
        ...created.flags,
        '--master-key',
        TEST_MASTER_KEY_B64,
        '--policy',
        POLICY_FILE,
        '--checkpoint-every',
        '10',
        '--public-url',
        'https://ledger.example',
      ];
      server = await startServerProcess(flags);
    });
    after(async () => {
      await server?.kill9();
      await drop();
    });

    function record(results: readonly IngestResult[]): void {
      for (const result of results) {
        if (result.status !== 'accepted') {
          rejections.push(result);
          continue;
        }
        const claims = claimsOf(result.receipt);
        const earlier = receipts.get(claims.recordId);
        if (earlier) expect(claims, `receipt for ${claims.recordId} changed`).to.deep.equal(earlier);
        receipts.set(claims.recordId, claims);
      }
    }

    // A restart under a loaded CI machine can take tens of seconds; allow a minute per kill.
    it(`every receipted record survives ${KILLS} SIGKILLs, once each`, {
      timeout: Math.max(300_000, KILLS * 60_000),
    }, async () => {
      let stopping = false;
      const client = async (n: number) => {
        const signer = await createTestSigner();
        let prev: string | null = null;
        let batchNo = 0;
        while (!stopping) {
          // A batch of 1–4 chained records, like an SDK outbox flushing; half carry an opening.
          const items: Item[] = [];
          for (let i = 0; i < 1 + ((batchNo + n) % 4); i++) {
            const email = i % 2 === 0 ? `crash-${n}-${batchNo}-${i}@example.test` : undefined;
            const signed = await signedRecord({ signer, policy, prev, ...(email ? { email } : {}) });
            items.push({ jws: signed.jws, ...(signed.opening ? { opening: signed.opening } : {}) });
            prev = signed.digest;
          }
          batchNo++;
          sent += items.length;
          // The same bytes again until the ledger answers: a crash mid-batch must not lose or double any.
          for (;;) {
            const url = server?.url;
            const results = url === undefined ? undefined : await deliver(url, items);
            if (results) {
              record(results);
              break;
            }
            interrupted++;
            await sleep(50);
          }
        }
      };

      const clients = Array.from({ length: CLIENTS }, (_, n) => client(n));
      const waitForReceipts = async (count: number) => {
        const deadline = Date.now() + 120_000;
        while (receipts.size < count) {
          if (Date.now() > deadline) throw new Error(`ingest stalled at ${receipts.size} receipts`);
          await sleep(20);
        }
      };
      try {
        for (let kill = 0; kill < KILLS; kill++) {
          await waitForReceipts(receipts.size + RECEIPTS_PER_ROUND);
          // A random moment inside the next batches, not right after a response.
          await sleep(Math.floor(Math.random() * 40));
          const dead = server;
          server = undefined;
          await dead?.kill9();
          server = await startServerProcess(flags);
        }
        await waitForReceipts(receipts.size + RECEIPTS_PER_ROUND);
      } finally {
        stopping = true;
        await Promise.all(clients);
      }
      expect(rejections, 'a retried batch was refused').to.deep.equal([]);
      // Every generated record was delivered until it got a receipt.
      expect(receipts.size).to.equal(sent);
    });

    it('stores the same records delivered by several clients at once, and again, exactly once', async () => {
      const url = server?.url ?? '';
      const signer = await createTestSigner();
      let prev: string | null = null;
      const items: Item[] = [];
      for (let i = 0; i < 12; i++) {
        const signed = await signedRecord({ signer, policy, prev, email: `dup-${i}@example.test` });
        items.push({ jws: signed.jws, ...(signed.opening ? { opening: signed.opening } : {}) });
        prev = signed.digest;
      }
      // Five clients send the whole batch at the same time, then each record alone, three times over.
      const answers = await Promise.all(Array.from({ length: 5 }, () => deliver(url, items)));
      for (let round = 0; round < 3; round++) {
        answers.push(
          ...(await Promise.all(items.flatMap((item) => Array.from({ length: 3 }, () => deliver(url, [item]))))),
        );
      }
      const seqs = new Map<string, Set<number>>();
      let duplicates = 0;
      for (const results of answers) {
        if (!results) throw new Error('the server was unreachable');
        record(results);
        for (const r of results) {
          if (r.status !== 'accepted') continue;
          if (r.duplicate) duplicates++;
          const id = claimsOf(r.receipt).recordId;
          seqs.set(id, (seqs.get(id) ?? new Set()).add(r.seq));
        }
      }
      expect(rejections).to.deep.equal([]);
      expect(seqs.size).to.equal(items.length);
      for (const [id, set] of seqs) expect([...set], `record ${id} got more than one position`).to.have.length(1);
      // 5 + 36 deliveries of each record, one of which stored it.
      expect(duplicates).to.equal(items.length * (5 + 9) - items.length);
      sent += items.length;
    });

    it('after the last restart the ledger verifies and holds each receipted record once, where its receipt says', async () => {
      await server?.stop();
      server = undefined;
      const opened = await openServer(loadConfig({ argv: flags, env: {} }));
      try {
        const { store, ledger } = opened.context;
        const entries: StoredEntry[] = [];
        for (let after = 0; ; ) {
          const page = await ledger.page(store, after, 500);
          if (page.length === 0) break;
          entries.push(...page);
          after = page[page.length - 1]?.seq ?? after;
        }
        const byId = new Map(entries.map((e) => [e.recordId, e]));
        expect(byId.size, 'a record id is stored twice').to.equal(entries.length);
        let lost = 0;
        for (const claims of receipts.values()) {
          const entry = byId.get(claims.recordId);
          if (!entry) {
            lost++;
            continue;
          }
          expect({ seq: entry.seq, digest: entry.digest, entryHash: entry.entryHash }).to.deep.equal({
            seq: claims.seq,
            digest: claims.digest,
            entryHash: claims.entryHash,
          });
        }
        expect(lost, 'receipted records missing from the ledger').to.equal(0);
        expect(entries.length).to.equal(sent);
        const verification = await verifyLedger({ store, ledger, keys: await opened.context.keyring.publicJwks() });
        expect(verification, JSON.stringify(verification)).to.include({ ok: true, count: entries.length });
        console.log(
          `[crash] ${target.name}: ${KILLS} kill -9 survived, ${receipts.size} receipts, ${interrupted} failed delivery attempts retried, ${entries.length} entries, 0 lost, 0 stored twice, ledger verifies`,
        );
      } finally {
        await opened.close();
      }
    });
  });
}
