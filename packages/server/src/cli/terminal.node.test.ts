import { cli, cliOnTerminal, cliTargets, seedLedger } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { COMMANDS } from './registry.js';

// The CLI with a person at a terminal: progress drawn on stderr and a summary line for the long
// commands, erase's question, and per-command help that lists that command's own options.

const OLD = { purpose: 'application-processing', granted: true, basis: 'implied' } as const;

for (const target of cliTargets('ck-cli-tty-')) {
  describe(`consentkit at a terminal (${target.name})`, () => {
    let flags: string[] = [];
    let drop: () => Promise<void>;
    before(async () => {
      ({ flags, drop } = await target.create());
      await seedLedger(flags, [
        'tess@example.com',
        'uma@example.com',
        { email: 'old@example.com', decisions: [OLD], now: new Date('2008-04-01T12:00:00Z') },
      ]);
    });
    after(() => drop());

    it('verify and verify --signatures draw progress on the terminal, then one summary line', async () => {
      for (const extra of [[], ['--signatures']]) {
        const run = await cliOnTerminal(['verify', ...extra, ...flags]);
        expect(run.code, run.err).to.equal(0);
        expect(run.drawn).to.match(/verifying.*\[#+\] 100% 3\/3\n$/);
        expect(run.out).to.match(/^ok: 3 entries, 0 checkpoints, head 3, root \S+ \(.*; \d+\.\d s\)$/m);
        expect(run.out).to.include(extra.length > 0 ? 'every signature' : 'checkpoints and receipts');
      }
      const piped = await cli(['verify', ...flags]);
      expect(piped.out).to.match(/^ok: 3 entries/);
    });

    it('purge shows what it examines and ends with its summary; the terminal line is cleared', async () => {
      const run = await cliOnTerminal(['purge', ...flags]);
      expect(run.code, run.err).to.equal(0);
      expect(run.drawn).to.include('examining: 3 people').and.include('destroying: 0/1 people');
      expect(run.drawn.endsWith('\r\x1b[K')).to.equal(true);
      expect(run.out).to.match(/3 people examined .* 1 destroyed/);
    });

    it('erase asks first on a terminal: "no" keeps the person (exit 1), "yes" erases', async () => {
      const declined = await cliOnTerminal(['erase', '--email', 'uma@example.com', ...flags], false);
      expect(declined.code).to.equal(1);
      expect(declined.questions).to.have.length(1);
      expect(declined.questions[0]).to.match(/^Erase subject [0-9a-f-]{36}: 1 openings, .* This cannot be undone\.$/);
      expect(declined.err).to.include('not erased');
      expect((await cli(['state', '--email', 'uma@example.com', ...flags])).out).to.include('marketing');
      const confirmed = await cliOnTerminal(['erase', '--email', 'uma@example.com', ...flags], true);
      expect(confirmed.code, confirmed.err).to.equal(0);
      expect(confirmed.out).to.match(/^erased subject [0-9a-f-]{36}: 1 openings/);
      expect((await cli(['state', '--email', 'uma@example.com', ...flags])).out).to.include('no records');
      const scripted = await cliOnTerminal(['erase', '--email', 'tess@example.com', '--dry-run', ...flags]);
      expect(scripted.questions, '--dry-run asks nothing').to.deep.equal([]);
    });
  });
}

describe('consentkit --help', () => {
  it('each command lists its own options, one line each, and points to serve --help for the rest', async () => {
    for (const [name, command] of Object.entries(COMMANDS)) {
      const help = await cli([name, '--help']);
      expect(help.code).to.equal(0);
      expect(help.out).to.match(new RegExp(`^Usage: consentkit ${name}`));
      for (const [flag] of command.options ?? [])
        expect(help.out).to.match(new RegExp(`^  ${flag.replace(/[|*]/g, '\\$&')}\\s+\\S`, 'm'));
      if (name === 'serve') expect(help.out).to.include('CONSENTKIT_RATE_LIMIT_INGEST');
      else if (command.offline?.([])) expect(help.out, `${name} opens no ledger`).to.not.include('--data-dir');
      else {
        expect(help.out, `${name} --help has no server settings`).to.not.include('CONSENTKIT_CORS_ORIGINS');
        expect(help.out).to.include('Every server setting: consentkit serve --help');
      }
    }
    const erase = (await cli(['erase', '--help'])).out;
    for (const flag of ['--email', '--dry-run', '--yes', '--json'])
      expect(erase).to.match(new RegExp(`^  ${flag}`, 'm'));
    const top = await cli(['--help']);
    expect(top.out).to.match(/^Exit codes:\n {2}0 {2}done, including answers such as "no records/m);
  });
});
