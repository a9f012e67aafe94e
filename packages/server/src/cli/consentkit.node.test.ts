import { type ChainEntry, verifyChain } from '@consentkit/core';
import { TEST_MASTER_KEY_B64 } from '@consentkit/test-support/keys';
import { cli, cliTargets, seedLedger } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { verifyCommand } from '../ledger/verify-command.js';
import { openStore } from '../platform/store/open-store.js';
import { loadConfig } from '../runtime/config.js';
import { openServer } from '../runtime/server.js';
import { withRunningServer } from './command.js';
import { COMMANDS } from './registry.js';

for (const target of cliTargets('ck-cli-')) {
  describe(`consentkit CLI (${target.name})`, () => {
    let flags: string[] = [];
    let drop: () => Promise<void>;
    before(async () => {
      ({ flags, drop } = await target.create(['--public-url', 'https://ledger.example']));
      await seedLedger(flags, ['gina@example.com', 'hal@example.com', 'gina@example.com']);
    });
    after(() => drop());

    it('--help works for the tool and each command', async () => {
      expect((await cli(['--help'])).out).to.include('Commands:');
      for (const name of Object.keys(COMMANDS)) {
        const help = await cli([name, '--help']);
        expect(help.code).to.equal(0);
        expect(help.out).to.include(`consentkit ${name}`);
      }
      expect((await cli(['frobnicate'])).code).to.equal(2);
    });

    it('state, link and export', async () => {
      const state = await cli(['state', '--email', 'Gina@example.com', '--json', ...flags]);
      expect(state.code, state.err).to.equal(0);
      expect(JSON.parse(state.out).state.marketing.status).to.equal('granted');
      const table = await cli(['state', '--email', 'Gina@example.com', ...flags]);
      expect(table.out).to.match(/^purpose\s+status\s+reason\s+basis\s+since\s+record$/m);
      expect(table.out).to.match(
        /^marketing\s+granted\s+opt-out-standing\s+opt-out\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\s+[0-9a-f-]{36}$/m,
      );
      const link = await cli(['link', '--email', 'gina@example.com', '--purpose', 'marketing', ...flags]);
      expect(link.out).to.match(/^unsubscribe: https:\/\/ledger\.example\/u\//m);
      expect(link.out).to.include('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
      const exported = await cli(['export', ...flags]);
      // The backup's entry lines (the others carry keys, subjects, sealed openings, the audit trail).
      const lines = exported.out
        .split('\n')
        .map((l) => JSON.parse(l) as { type: string; entry: ChainEntry; receipt: string })
        .filter((l) => l.type === 'entry');
      expect(lines.map((l) => l.entry.seq)).to.deep.equal([1, 2, 3]);
      // An export re-verifies with core alone.
      expect(await verifyChain(lines.map((l) => l.entry))).to.deep.equal({ ok: true, count: 3 });
    });

    it('keys list and rotate: the old key keeps verifying', async () => {
      const before = await cli(['keys', 'list', ...flags]);
      expect(before.out).to.match(/active\s+signing/);
      const rotated = await cli(['keys', 'rotate', '--signing-only', ...flags]);
      expect(rotated.code, rotated.err).to.equal(0);
      expect(rotated.out.match(/retired\s+signing/g)).to.have.length(1);
      expect((await cli(['verify', ...flags])).code).to.equal(0);
    });

    it('verify: exit 0 on a sound ledger, 1 naming the first bad entry after a SQL UPDATE', async () => {
      const ok = await cli(['verify', ...flags]);
      expect(ok.code, ok.err).to.equal(0);
      expect(ok.out).to.include('ok: 3 entries');
      // --timings adds one last line, each part's wall seconds, and changes nothing else said.
      const timed = await cli(['verify', '--timings', ...flags]);
      expect(timed.code, timed.err).to.equal(0);
      const lines = timed.out.trim().split('\n');
      const seconds = (text: string) => text.replace(/; [\d.]+ s\)/, '; _ s)');
      expect(lines.slice(0, -1).map(seconds)).to.deep.equal(ok.out.trim().split('\n').map(seconds));
      const parts = JSON.parse(lines.at(-1)?.replace(/^timings: /, '') ?? '') as Record<string, number>;
      expect(Object.keys(parts)).to.deep.equal(['start', 'open', 'prepare', 'pages', 'head', 'histories', 'audit']);
      expect(Object.values(parts).every((v) => Number.isFinite(v) && v >= 0)).to.equal(true);
      // Run by a listening server (the CLI beside it): no `start`, that process began long before.
      const server = await openServer(loadConfig({ argv: flags, env: {} }));
      try {
        const said: string[] = [];
        const code = await withRunningServer(server, () =>
          verifyCommand.run(['--timings'], { out: (line) => said.push(line), err: () => {} }),
        );
        expect(code).to.equal(0);
        const inServer = JSON.parse(said.at(-1)?.replace(/^timings: /, '') ?? '') as Record<string, number>;
        expect(Object.keys(inServer)).to.deep.equal(['open', 'prepare', 'pages', 'head', 'histories', 'audit']);
      } finally {
        await server.close();
      }
      const config = loadConfig({ argv: flags, env: {} });
      const store = await openStore(config);
      await store.query("UPDATE ledger_entries SET received_at = '2020-01-01T00:00:00.000Z' WHERE seq = 2");
      await store.close();
      const bad = await cli(['verify', ...flags]);
      expect(bad.code).to.equal(1);
      expect(bad.err).to.match(/FAULT at entry 2/);
      // The same verdict with --timings, which times the parts that ran (the walk stopped at the fault).
      const badTimed = await cli(['verify', '--timings', ...flags]);
      expect(badTimed.code).to.equal(1);
      expect(badTimed.err).to.equal(bad.err);
      const badParts = JSON.parse(badTimed.out.trim().replace(/^timings: /, '')) as Record<string, number>;
      expect(Object.keys(badParts)).to.deep.equal(['start', 'open', 'prepare', 'pages']);
    });

    it('a configuration mistake exits 2 with a clear message', async () => {
      const result = await cli(['verify', '--database-url', 'mysql://nope', '--master-key', TEST_MASTER_KEY_B64]);
      expect(result.code).to.equal(2);
      expect(result.err).to.include('DATABASE_URL (--database-url)');
    });
  });
}
