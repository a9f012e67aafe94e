import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestSigner, TEST_MASTER_KEY_B64 } from '@consentkit/test-support/keys';
import { describeEachStore, POLICY_FILE, postRecords, signedRecord } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { createPgliteStore } from '../platform/store/pglite-store.js';
import { ConfigError, loadConfig } from '../runtime/config.js';
import { startServer } from '../runtime/server.js';
import { startPurgeJob } from './purge-job.js';
import { listDeletionReceipts } from './purge-receipt.js';

// Retention: the server's daily purge. Driven with an injected clock and by calling
// runOnce directly; one test lets a real server run it on a short interval.
const DAY = 86_400_000;

describe('CONSENTKIT_PURGE_INTERVAL', () => {
  it('reads 24h, 30m, 1d, 90s, 500ms and off; 24h by default', () => {
    const purgeInterval = (value: string) =>
      loadConfig({ env: { CONSENTKIT_PURGE_INTERVAL: value }, argv: [] }).purgeInterval;
    expect(purgeInterval('24h')).to.equal(DAY);
    expect(purgeInterval('30m')).to.equal(1_800_000);
    expect(purgeInterval('1d')).to.equal(DAY);
    expect(purgeInterval('90s')).to.equal(90_000);
    expect(purgeInterval('500ms')).to.equal(500);
    expect(purgeInterval('OFF')).to.equal(null);
    expect(loadConfig({ env: {}, argv: [] }).purgeInterval).to.equal(DAY);
    expect(loadConfig({ env: { CONSENTKIT_PURGE_INTERVAL: 'off' }, argv: [] }).purgeInterval).to.equal(null);
    expect(loadConfig({ env: {}, argv: ['--purge-interval', '12h'] }).purgeInterval).to.equal(DAY / 2);
  });

  it('a bad value fails the start with one message naming the variable, the flag and the fix', () => {
    for (const bad of ['daily', '0h', '-1h', '30', '40d']) {
      try {
        loadConfig({ env: { CONSENTKIT_PURGE_INTERVAL: bad }, argv: [] });
        expect.fail(`${bad} was accepted`);
      } catch (error) {
        expect(error, bad).to.be.instanceOf(ConfigError);
        expect((error as ConfigError).message, bad).to.match(
          /CONSENTKIT_PURGE_INTERVAL \(--purge-interval\):.*(24h|off)/,
        );
      }
    }
  });
});

describeEachStore('retention purge job', (s) => {
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);

  before(async () => {
    const signer = await createTestSigner();
    // Applied in 2010, nothing since: past retention (P2Y + P7Y) by 2020.
    const signed = await signedRecord({
      signer,
      policy: s.t.policy,
      prev: null,
      email: 'job.subject@example.com',
      decisions: [{ purpose: 'application-processing', granted: true, basis: 'implied' }],
      override: { now: new Date('2010-01-01T00:00:00Z') },
    });
    expect((await postRecords(s.t.app, [{ jws: signed.jws, opening: signed.opening }])).status).to.equal(200);
  });

  it('runOnce purges with the injected clock; a second run inside the interval is skipped', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const job = startPurgeJob({ context: s.t.context, intervalMs: DAY, clock: () => now, log, firstRunDelayMs: DAY });
    try {
      const first = await job.runOnce();
      expect(first?.counts).to.deep.include({ examined: 1, destroyed: 1 });
      expect(lines.at(-1)).to.match(/retention purge: 1 of 1 people past retention destroyed/);
      now = new Date(now.getTime() + DAY - 1000);
      expect(await job.runOnce(), 'inside the interval').to.equal(undefined);
      now = new Date(now.getTime() + 2000);
      const third = await job.runOnce();
      expect(third?.counts).to.deep.include({ examined: 0, destroyed: 0 });
      expect(await listDeletionReceipts(s.db.store)).to.have.length(2);
    } finally {
      await job.stop();
    }
  });

  it('never overlaps itself: concurrent calls share one run', async () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const job = startPurgeJob({ context: s.t.context, intervalMs: DAY, clock: () => now, log, firstRunDelayMs: DAY });
    try {
      const before = (await listDeletionReceipts(s.db.store)).length;
      const [a, b] = [job.runOnce(), job.runOnce()];
      expect(a).to.equal(b);
      await Promise.all([a, b]);
      expect(await listDeletionReceipts(s.db.store)).to.have.length(before + 1);
    } finally {
      await job.stop();
    }
  });

  it('a failing run is logged, does not throw, and the job keeps its schedule', async () => {
    let calls = 0;
    const broken = {
      ...s.t.context,
      store: {
        ...s.t.context.store,
        query: async () => {
          calls++;
          throw new Error('database unreachable');
        },
      },
    };
    const job = startPurgeJob({ context: broken, intervalMs: 20, firstRunDelayMs: 0, log });
    try {
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(calls, 'it ran more than once after failing').to.be.greaterThan(1);
      expect(lines.filter((l) => l.includes('retention purge failed: database unreachable')).length).to.be.greaterThan(
        1,
      );
    } finally {
      await job.stop();
    }
    const after = calls;
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(calls, 'no run after stop()').to.equal(after);
  });

  it('off starts nothing', async () => {
    let calls = 0;
    const job = startPurgeJob({
      context: {
        ...s.t.context,
        store: {
          ...s.t.context.store,
          query: async () => {
            calls++;
            return [];
          },
        },
      },
      intervalMs: null,
      firstRunDelayMs: 0,
      log,
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await job.stop();
    expect(calls).to.equal(0);
  });
});

describe('retention purge job in the running server', () => {
  it('runs on CONSENTKIT_PURGE_INTERVAL and stops with the server', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ck-purge-job-'));
    try {
      const config = loadConfig({
        env: {},
        argv: [
          '--data-dir',
          dataDir,
          '--port',
          '0',
          '--master-key',
          TEST_MASTER_KEY_B64,
          '--policy',
          POLICY_FILE,
          '--purge-interval',
          '200ms',
          '--partner-webhooks-interval',
          'off',
        ],
      });
      const server = await startServer(config, { log: () => {} });
      await new Promise((resolve) => setTimeout(resolve, 700));
      await server.stop();
      const store = await createPgliteStore({ dataDir });
      try {
        const receipts = await listDeletionReceipts(store);
        // First run after 200 ms; later ones skip (a receipt is younger than the interval only
        // briefly, so at least one and at most a few runs left receipts).
        expect(receipts.length).to.be.within(1, 4);
        const count = receipts.length;
        await new Promise((resolve) => setTimeout(resolve, 400));
        expect(await listDeletionReceipts(store), 'nothing runs after stop').to.have.length(count);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
