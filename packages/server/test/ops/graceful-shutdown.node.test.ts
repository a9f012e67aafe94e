// Graceful shutdown, shown on the real server process on PGlite and on PostgreSQL: SIGTERM lands
// in the middle of a fixed-rate ingest and a one-click burst. The process exits 0; every request
// that got a 2xx is in the ledger (each accepted record, each one-click unsubscribe); every answer
// of 500 or more carries Retry-After (only 503 is expected); and the ledger verifies afterwards.
// Then, in-process and deterministic, the deadline: a request still running when it passes is
// answered 503 + Retry-After, and the store is closed all the same.
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestSigner } from '@consentkit/test-support/keys';
import { testPolicy } from '@consentkit/test-support/policy';
import { type ServerProcess, signedRecord, startServerProcess } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { verifyLedger } from '../../src/ledger/verify-ledger.js';
import { loadConfig } from '../../src/runtime/config.js';
import { openServer } from '../../src/runtime/server.js';
import { API_KEY, opsTargets } from './ops-targets.js';

/** Why fetch failed: the socket error's code (ECONNREFUSED: the listener had closed). */
const causeOf = (error: unknown): string => {
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  return cause?.code ?? String(error);
};

/** One request's fate as the client saw it. */
type Outcome = {
  readonly kind: 'ingest' | 'one-click';
  /** The record id (ingest) or the subject ref (one-click). */
  readonly id: string;
  readonly status?: number;
  readonly retryAfter?: string | null;
  readonly accepted?: boolean;
  /** The connection was refused or cut: the client knows nothing was confirmed. */
  readonly error?: string;
};

const RECORDS = 400;
const ONE_CLICKS = 30;
/** Ingest pace: one single-record batch every INTERVAL_MS, whatever the answers. */
const INTERVAL_MS = 15;

for (const target of opsTargets) {
  describe(`operations: SIGTERM under load (${target.name}, real server process)`, () => {
    let server: ServerProcess;
    let env: Record<string, string> = {};
    let drop: () => Promise<void> = async () => {};

    before(async () => {
      const created = await target.create();
      ({ env, drop } = created);
      server = await startServerProcess([...created.flags, '--shutdown-deadline', '20s', '--log-level', 'warn']);
    });
    after(async () => {
      if (server.child.exitCode === null && server.child.signalCode === null) await server.kill9();
      await drop();
    });

    it('exits 0; every 2xx is in the ledger; nothing above 499 lacks Retry-After; the ledger verifies', {
      timeout: 600_000,
    }, async () => {
      const policy = testPolicy();
      // Made before the load starts, so the pace is the network's, not the signer's.
      const records = await Promise.all(
        Array.from({ length: RECORDS }, async (_, i) => {
          const signed = await signedRecord({
            signer: await createTestSigner(),
            policy,
            prev: null,
            email: `drain-${target.name}-${i}@example.test`,
          });
          return {
            id: signed.record.id,
            item: { jws: signed.jws, ...(signed.opening ? { opening: signed.opening } : {}) },
          };
        }),
      );
      const links: { ref: string; path: string }[] = [];
      for (let i = 0; i < ONE_CLICKS; i++) {
        const response = await fetch(`${server.url}/v1/links`, {
          method: 'POST',
          headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({ email: `one-click-${target.name}-${i}@example.test`, purpose: 'marketing' }),
        });
        expect(response.status, await response.clone().text()).to.equal(200);
        const body = (await response.json()) as { subjectRef: string; unsubscribeUrl: string };
        links.push({ ref: body.subjectRef, path: new URL(body.unsubscribeUrl).pathname });
      }

      const outcomes: Outcome[] = [];
      const pending: Promise<void>[] = [];
      const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
      let gone = false;
      void exited.then(() => {
        gone = true;
      });

      const ingest = async (record: (typeof records)[number]) => {
        try {
          const response = await fetch(`${server.url}/v1/records`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ records: [record.item] }),
            signal: AbortSignal.timeout(120_000),
          });
          const text = await response.text();
          const accepted =
            response.status === 200 &&
            (JSON.parse(text) as { results: { status: string }[] }).results[0]?.status === 'accepted';
          outcomes.push({
            kind: 'ingest',
            id: record.id,
            status: response.status,
            retryAfter: response.headers.get('retry-after'),
            accepted,
          });
        } catch (error) {
          outcomes.push({ kind: 'ingest', id: record.id, error: causeOf(error) });
        }
      };
      const oneClick = async (link: (typeof links)[number]) => {
        try {
          const response = await fetch(`${server.url}${link.path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: 'List-Unsubscribe=One-Click',
            signal: AbortSignal.timeout(120_000),
          });
          await response.arrayBuffer();
          outcomes.push({
            kind: 'one-click',
            id: link.ref,
            status: response.status,
            retryAfter: response.headers.get('retry-after'),
          });
        } catch (error) {
          outcomes.push({ kind: 'one-click', id: link.ref, error: causeOf(error) });
        }
      };

      // The fixed-rate ingest runs until the records run out or the process is gone.
      const load = (async () => {
        for (const record of records) {
          if (gone) break;
          pending.push(ingest(record));
          await sleep(INTERVAL_MS);
        }
      })();
      // Once ingest is really flowing, the one-click burst, and SIGTERM while it is in flight.
      const flowing = Date.now() + 180_000;
      while (outcomes.filter((o) => o.accepted).length < 15) {
        if (Date.now() > flowing) throw new Error('ingest never got going');
        await sleep(10);
      }
      pending.push(...links.map((link) => oneClick(link)));
      await sleep(5);
      server.child.kill('SIGTERM');
      const code = await exited;
      await load;
      await Promise.all(pending);

      expect(code, server.output()).to.equal(0);
      // Nothing 5xx without Retry-After (and no 500 at all: a cut-off is a 503).
      const fives = outcomes.filter((o) => (o.status ?? 0) >= 500);
      for (const o of fives) {
        expect(o.status, JSON.stringify(o)).to.equal(503);
        expect(o.retryAfter, JSON.stringify(o)).to.match(/^\d+$/);
      }
      const unexpected = outcomes.filter((o) => o.status !== undefined && o.status !== 200 && o.status !== 503);
      expect(unexpected, 'statuses other than 200 and 503').to.deep.equal([]);

      // Every 2xx is in the ledger.
      const opened = await openServer(loadConfig({ argv: [], env: { ...env, CONSENTKIT_LOG_LEVEL: 'silent' } }));
      try {
        const { store, ledger, keyring, subjects } = opened.context;
        const stored = new Set(
          (await store.query<{ record_id: string }>('SELECT record_id FROM ledger_entries')).map((r) => r.record_id),
        );
        const acceptedIds = outcomes.filter((o) => o.kind === 'ingest' && o.accepted).map((o) => o.id);
        expect(acceptedIds.length).to.be.greaterThan(14);
        expect(
          acceptedIds.filter((id) => !stored.has(id)),
          'accepted records missing from the ledger',
        ).to.deep.equal([]);
        const unsubscribed = outcomes.filter((o) => o.kind === 'one-click' && o.status === 200);
        for (const o of unsubscribed) {
          const state = await subjects.state(o.id);
          expect(state.marketing?.status, `one-click for ${o.id} answered 200`).to.equal('denied');
        }
        const verification = await verifyLedger({ store, ledger, keys: await keyring.publicJwks() });
        expect(verification, JSON.stringify(verification)).to.include({ ok: true, count: stored.size });
        const count = (f: (o: Outcome) => boolean) => outcomes.filter(f).length;
        const causes = [...new Set(outcomes.flatMap((o) => (o.error ? [o.error] : [])))]
          .map((c) => `${c} ×${count((o) => o.error === c)}`)
          .join(', ');
        console.log(
          `[shutdown] ${target.name}: ${outcomes.length} requests; ingest ${acceptedIds.length} accepted, ` +
            `${count((o) => o.kind === 'ingest' && o.status === 503)} 503, ${count((o) => o.kind === 'ingest' && !!o.error)} refused/cut; ` +
            `one-click ${unsubscribed.length} 200, ${count((o) => o.kind === 'one-click' && o.status === 503)} 503, ` +
            `${count((o) => o.kind === 'one-click' && !!o.error)} refused/cut (${causes || 'none'}); exit 0; ${stored.size} entries verify`,
        );
      } finally {
        await opened.close();
      }
    });
  });
}

describe('operations: the shutdown deadline (pglite, in-process listener)', () => {
  it('answers a request still running at the deadline with 503 + Retry-After, then closes the store', async () => {
    const target = opsTargets[0];
    if (!target) throw new Error('no pglite target');
    const created = await target.create();
    let release: () => void = () => {};
    const blocked = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered: () => void = () => {};
    const started = new Promise<void>((resolve) => {
      entered = resolve;
    });
    try {
      const config = loadConfig({
        argv: [],
        env: {
          ...created.env,
          PORT: '0',
          CONSENTKIT_LOG_LEVEL: 'silent',
          CONSENTKIT_SHUTDOWN_DEADLINE: '200ms',
          CONSENTKIT_PURGE_INTERVAL: 'off',
          CONSENTKIT_PARTNER_WEBHOOKS_INTERVAL: 'off',
        },
      });
      // A handler that only finishes when the test says so: the deadline must answer for it.
      const opened = await openServer(config, {
        log: () => {},
        routes: [
          {
            method: 'GET',
            path: '/slow',
            handler: async () => {
              entered();
              await blocked;
              return new Response('late');
            },
          },
        ],
      });
      const server = await opened.listen();
      const slow = fetch(`${server.url}/slow`);
      await started;
      expect(opened.operations.lifecycle.inFlight).to.equal(1);
      await server.stop();
      const response = await slow;
      expect(response.status).to.equal(503);
      expect(response.headers.get('retry-after')).to.equal('5');
      expect(((await response.json()) as { code: string }).code).to.equal('shutting-down');
      expect(opened.operations.lifecycle.state).to.equal('stopped');
      // The store is closed: a query now fails.
      let failed = false;
      await opened.context.store.query('SELECT 1').catch(() => {
        failed = true;
      });
      expect(failed, 'the store is still open after stop()').to.equal(true);
    } finally {
      release();
      await created.drop();
    }
  });
});
