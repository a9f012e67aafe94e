// Property-based fuzzing of the `consentkit` CLI's inputs (bad input): any command
// line built from the tool's own vocabulary plus arbitrary values ends with exit code 0, 1 or 2
// and a one-line reason — never an uncaught exception, a stack trace or a hang — and the
// ledger it works on still verifies, with the record stored before the run still in it.
// The commands run in-process (runCli) against a fresh PostgreSQL database from the test
// cluster; `serve` (never returns) and file-writing / store-choosing flags are left out.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fuzzRuns } from '@consentkit/test-support/fuzz';
import { createTestSigner, TEST_MASTER_KEY_B64 } from '@consentkit/test-support/keys';
import { createTestDatabase, POLICY_FILE, postRecords, signedRecord } from '@consentkit/test-support/server';
import { expect } from 'chai';
import fc from 'fast-check';
import { runCli } from '../../src/cli/consentkit.js';
import { verifyLedger } from '../../src/ledger/verify-ledger.js';
import { loadConfig } from '../../src/runtime/config.js';
import { openServer } from '../../src/runtime/server.js';

const RUNS = fuzzRuns({ node: 200 });

const COMMANDS = ['keys', 'link', 'state', 'verify', 'export', 'help', '--help', 'nope', ''];
// Every flag the tool knows except those that pick the store or a file to write: the suite
// pins the store through the environment so a fuzzed flag can never touch the checkout.
const FLAGS = [
  '--email',
  '--purpose',
  '--json',
  '--signing-only',
  '--token-only',
  '--master-key',
  '--port',
  '--host',
  '--public-url',
  '--cors-origins',
  '--policy',
  '--api-key',
  '--checkpoint-every',
  '--max-body-bytes',
  '--max-batch',
  '--unsubscribe-mailto',
  '--help',
  '-h',
  '--nope',
];
const VALUES = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    'someone@example.test',
    'Someone@Example.TEST',
    'not-an-email',
    '@',
    '*',
    'marketing',
    'no-such-purpose',
    "x'; DROP TABLE ledger_entries; --",
    '0',
    '-1',
    '99999999999',
    'NaN',
    '',
    'list',
    'rotate',
    TEST_MASTER_KEY_B64,
    'A'.repeat(43),
    'https://ledger.example',
    'javascript:alert(1)',
    '/dev/null',
    '../../etc/passwd',
  ),
);
const ARG = fc.oneof(
  fc.constantFrom(...FLAGS),
  VALUES,
  fc.tuple(fc.constantFrom(...FLAGS), VALUES).map(([f, v]) => `${f}=${v}`),
);

describe('security: fuzzing the consentkit CLI (PostgreSQL)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let cwd: string;
  const previous = { cwd: process.cwd(), env: { ...process.env } };
  let cases = 0;

  before(async () => {
    db = await createTestDatabase();
    // This file runs in its own process (node --test), so pinning the environment and the
    // working folder here cannot leak into other suites; relative paths land in a temp folder.
    cwd = mkdtempSync(join(tmpdir(), 'ck-cli-fuzz-'));
    process.chdir(cwd);
    Object.assign(process.env, {
      DATABASE_URL: db.url,
      CONSENTKIT_MASTER_KEY: TEST_MASTER_KEY_B64,
      CONSENTKIT_POLICY: POLICY_FILE,
      CONSENTKIT_DATA_DIR: join(cwd, 'data'),
    });
    const opened = await openServer(loadConfig({ argv: [] }));
    try {
      const signer = await createTestSigner();
      const r = await signedRecord({
        signer,
        policy: opened.context.policies.current,
        prev: null,
        email: 'seed@example.test',
      });
      const response = await postRecords(opened.app, [{ jws: r.jws, opening: r.opening }]);
      if (response.status !== 200) throw new Error(`seeding answered ${response.status}`);
    } finally {
      await opened.close();
    }
  });

  after(async () => {
    const opened = await openServer(loadConfig({ argv: [] }));
    try {
      const { store, ledger, keyring } = opened.context;
      const result = await verifyLedger({ store, ledger, keys: await keyring.publicJwks() });
      expect(result, JSON.stringify(result)).to.include({ ok: true });
      expect(result.count).to.be.greaterThan(0);
    } finally {
      await opened.close();
    }
    process.chdir(previous.cwd);
    process.env = previous.env;
    rmSync(cwd, { recursive: true, force: true });
    await db.drop();
    console.log(`[fuzz] consentkit CLI: ${cases} generated command lines, exit codes 0/1/2 only, ledger verifies`);
  });

  it('answers any command line with exit 0, 1 or 2 and a reason, never a crash or a stack trace', {
    timeout: Math.max(300_000, RUNS * 2_000),
  }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...COMMANDS), fc.array(ARG, { maxLength: 6 }), async (command, args) => {
        cases++;
        const argv = command === '' ? args : [command, ...args];
        const out: string[] = [];
        const err: string[] = [];
        let code: number;
        try {
          code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
        } catch (error) {
          throw new Error(`runCli threw for ${JSON.stringify(argv)}: ${String(error)}`);
        }
        const label = `${JSON.stringify(argv)} → ${code}: ${err.join(' | ').slice(0, 300)}`;
        expect([0, 1, 2], label).to.include(code);
        // A failure says why (the bare tool prints its usage to stdout with exit 2).
        if (code !== 0) expect([...err, ...out].join('\n').trim(), `${label}: no reason given`).to.not.equal('');
        expect(err.join('\n'), `${label}: stack trace`).to.not.match(/\n\s+at .+:\d+:\d+/);
      }),
      { numRuns: RUNS },
    );
  });
});
