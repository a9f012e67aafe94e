// The log scan: the end-to-end journeys (Chromium) and the bad-input suites (injection and auth,
// ingest fuzzing, hostile hosted-page input, CLI fuzzing) run with the server logging at debug, as
// JSON, into one file; the suites write down every identifier they used (test-support/identifiers.ts:
// emails, refs, tokens, record ids, openings). Every line must be JSON, and no line may hold any
// of those identifiers, an API key, the master key or a full client address. The bad-input suites
// run twice: on PGlite, and with every kit on PostgreSQL (CONSENTKIT_KIT_STORE=postgres); the
// journeys run on the PGlite store `pnpm start` uses.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { TEST_API_KEY, TEST_MASTER_KEY_B64 } from '@consentkit/test-support/keys';
import { testPostgresUrl } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { onlyNativeCrashes } from '../../../../scripts/testing/native-crash.mjs';
import { NODE_TEST_LOADER } from '../../../../scripts/testing/node-loader.mjs';

const ROOT = resolve(import.meta.dirname, '../../../..');
const BAD_INPUT_SUITES = [
  'packages/server/test/security/injection-and-auth.node.test.ts',
  'packages/server/test/security/ingest-fuzz.node.test.ts',
  'packages/server/test/security/hosted-pages.node.test.ts',
  'packages/server/test/security/cli-fuzz.node.test.ts',
];
const JOURNEYS = ['examples/e2e/chromium.test.ts'];
/** Secrets the suites use as constants (test-support/keys.ts, the e2e ledger), and the clients' address. */
const CONSTANTS = [TEST_API_KEY, TEST_MASTER_KEY_B64, 'e2e-admin-key-0123456789abcdef', '127.0.0.1'];

type Leg = { readonly name: string; readonly files: readonly string[]; readonly env: Record<string, string> };

/** Runs test files the way `pnpm test` does, with the log settings of the scan; resolves to their output. */
function runSuites(
  leg: Leg,
  logFile: string,
  idsFile: string,
): Promise<{ code: number | null; output: string; crashedOnly: boolean }> {
  const countsFile = `${logFile}.counts.json`;
  // Without this the inner runner thinks it is a file of ours and reports to us instead of running.
  const { NODE_TEST_CONTEXT: _inner, ...env } = process.env;
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      [
        ...NODE_TEST_LOADER,
        '--test',
        '--test-concurrency=1',
        '--test-timeout=1200000',
        '--test-reporter=dot',
        '--test-reporter-destination=stdout',
        // Which files the runtime itself killed, if any (scripts/testing/native-crash.mjs).
        '--test-reporter=./scripts/testing/count-reporter.mjs',
        `--test-reporter-destination=${countsFile}`,
        ...leg.files,
      ],
      {
        cwd: ROOT,
        env: {
          ...env,
          CONSENTKIT_TEST_PG_URL: testPostgresUrl(),
          CONSENTKIT_LOG_LEVEL: 'debug',
          CONSENTKIT_LOG_FORMAT: 'json',
          CONSENTKIT_LOG_FILE: logFile,
          CONSENTKIT_SCAN_IDENTIFIERS_FILE: idsFile,
          ...leg.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      output += c.toString('utf8');
    });
    child.once('exit', (code) => {
      let crashedOnly = false;
      try {
        crashedOnly = onlyNativeCrashes(JSON.parse(readFileSync(countsFile, 'utf8')));
      } catch {
        // No counts: the runner itself failed, which stands.
      }
      done({ code, output, crashedOnly });
    });
  });
}

/** Each identifier as it could appear in a line: itself, URL-encoded, and lower-cased. */
function forms(id: string): string[] {
  return [...new Set([id, encodeURIComponent(id), id.toLowerCase()])];
}

const legs: readonly Leg[] = [
  {
    name: 'journeys (Chromium, PGlite) and bad-input suites on PGlite',
    files: [...JOURNEYS, ...BAD_INPUT_SUITES],
    env: {},
  },
  { name: 'bad-input suites on PostgreSQL', files: BAD_INPUT_SUITES, env: { CONSENTKIT_KIT_STORE: 'postgres' } },
];

for (const leg of legs) {
  describe(`operations: no personal data in the logs — ${leg.name}`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'consentkit-log-scan-'));
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('every line is JSON and none holds an identifier the suites used', { timeout: 2_400_000 }, async () => {
      const logFile = join(dir, 'server.log');
      const idsFile = join(dir, 'identifiers.ndjson');
      let run = await runSuites(leg, logFile, idsFile);
      if (run.code !== 0 && run.crashedOnly) {
        // The runtime crashed in a file, no suite failed: the leg once more, on a fresh log.
        console.log(`[log-scan] ${leg.name}: the runtime crashed in a file; running the leg once more`);
        rmSync(logFile, { force: true });
        rmSync(idsFile, { force: true });
        run = await runSuites(leg, logFile, idsFile);
      }
      expect(run.code, `the suites failed:\n${run.output.slice(-6000)}`).to.equal(0);
      expect(existsSync(logFile), 'nothing was logged').to.equal(true);

      const lines = readFileSync(logFile, 'utf8').split('\n').filter(Boolean);
      const events = lines.map((line) => {
        try {
          return JSON.parse(line) as { level: string; msg: string; requestId?: string; group?: string };
        } catch {
          throw new Error(`a log line is not JSON: ${line.slice(0, 300)}`);
        }
      });
      // The scan looked at real traffic: debug lines, request lines with ids, the routes the suites hit.
      expect(events.length).to.be.greaterThan(200);
      expect(events.some((e) => e.level === 'debug')).to.equal(true);
      const groups = new Set(events.filter((e) => e.msg === 'request answered').map((e) => e.group));
      for (const group of ['records', 'unsubscribe', 'preferences', 'subjects']) expect([...groups]).to.include(group);
      expect(events.filter((e) => e.msg === 'request answered').every((e) => typeof e.requestId === 'string')).to.equal(
        true,
      );

      const exposed = readFileSync(idsFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { kind: string; value: string }).value);
      const kinds = new Set(
        readFileSync(idsFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => (JSON.parse(l) as { kind: string }).kind),
      );
      for (const kind of ['email', 'ref', 'token', 'record-id', 'opening']) expect([...kinds], kind).to.include(kind);
      const needles = [...new Set([...exposed, ...CONSTANTS])].flatMap(forms);
      const hits: string[] = [];
      for (const line of lines) {
        const lower = line.toLowerCase();
        for (const needle of needles) {
          if (lower.includes(needle.toLowerCase())) hits.push(`${needle} in ${line.slice(0, 400)}`);
        }
      }
      console.log(
        `[log-scan] ${leg.name}: ${lines.length} lines, ${new Set(exposed).size} identifiers (${[...kinds].join(', ')}), ${hits.length} hits`,
      );
      expect(hits.slice(0, 20), `${hits.length} log lines hold an identifier`).to.deep.equal([]);
    });
  });
}
