import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Decision, Policy } from '@consentkit/core';
import { createTestSigner } from '@consentkit/test-support/keys';
import { POLICY_FILE, runProcess, signedRecord } from '@consentkit/test-support/server';
import { expect } from 'chai';

// The README's privacy-team commands (and `snippet`) beside `pnpm start` on the embedded store (PGlite allows one
// process per data folder): the server holds the folder, a second start refuses at once, and every
// command runs through the server, with the answers it gives once the server is stopped. Erase and
// purge take effect, are audited, and the /admin API agrees. Runs the real scripts: what
// `pnpm start` runs (scripts/start.mjs), and `pnpm consentkit` itself.

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const ADA = 'ada@example.com';
const BO = 'bo@example.com';
const OLD = 'old.applicant@example.com';
// Under a loaded machine the first start compiles PGlite's WebAssembly and runs initdb.
const START_TIMEOUT_MS = 240_000;

function envFor(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('CONSENTKIT_') || ['DATABASE_URL', 'PORT', 'HOST', 'PUBLIC_URL', 'INIT_CWD'].includes(k)) continue;
    env[k] = v;
  }
  return { ...env, CONSENTKIT_DATA_DIR: dataDir, CONSENTKIT_POLICY: POLICY_FILE, NODE_ENV: 'test' };
}

function startServer(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [join(ROOT, 'scripts/start.mjs')], {
    cwd: ROOT,
    // The daily purge job off: this suite's `consentkit purge` is the one that destroys.
    env: {
      ...env,
      PORT: '0',
      CONSENTKIT_PURGE_INTERVAL: 'off',
      CONSENTKIT_RATE_LIMIT_INGEST: 'off',
      CONSENTKIT_RATE_LIMIT_HOSTED: 'off',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`pnpm start did not start:\n${text}`)), START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const url = /listening on (http:\/\/\S+)/.exec(text)?.[1];
      if (url && text.includes('Ctrl-C stops the server.')) {
        clearTimeout(timer);
        resolve({ child, url, output: () => text });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`pnpm start exited (${code}):\n${text}`));
    });
  });
}

describe('the README commands beside a running `pnpm start` (embedded store)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ck-beside-'));
  const dataDir = join(dir, 'data');
  const env = envFor(dataDir);
  let server: { child: ChildProcess; url: string; output: () => string };
  let readKey = '';
  const outputs: string[] = [];

  /** `node scripts/consentkit.mjs …`: exactly what `pnpm consentkit …` runs, from the temp folder. */
  const consentkit = async (...args: string[]) => {
    const result = await runProcess(process.execPath, [join(ROOT, 'scripts/consentkit.mjs'), ...args], {
      cwd: dir,
      env,
    });
    outputs.push(result.out, result.err);
    return result;
  };
  const admin = (path: string, body?: unknown) =>
    fetch(`${server.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${readKey}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  before(async () => {
    server = await startServer(env);
    const { policy } = (await (await fetch(`${server.url}/v1/policy`)).json()) as { policy: Policy };
    const signer = await createTestSigner();
    const apply: Decision = { purpose: 'application-processing', granted: true, basis: 'implied' };
    let prev: string | null = null;
    for (const person of [
      { email: ADA },
      { email: BO, decisions: [apply, { purpose: 'partner-sharing', granted: true, basis: 'express' } as Decision] },
      // Dated 2008 (history imported late): past retention today, so a real purge destroys it.
      { email: OLD, decisions: [apply], override: { now: new Date('2008-04-01T12:00:00Z') } },
    ]) {
      const signed = await signedRecord({ signer, policy, prev, ...person });
      const response = await fetch(`${server.url}/v1/records`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ records: [{ jws: signed.jws, opening: signed.opening }] }),
      });
      expect(response.status, await response.clone().text()).to.equal(200);
      prev = signed.digest;
    }
  });

  after(async () => {
    if (server?.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await new Promise((resolve) => server.child.once('exit', resolve));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('the server holds the folder: a second pnpm start refuses at once and names it', async () => {
    const lock = JSON.parse(readFileSync(join(dataDir, 'consentkit.lock'), 'utf8')) as { role: string; url: string };
    expect(lock).to.include({ role: 'server', url: server.url });
    const second = await runProcess(process.execPath, [join(ROOT, 'scripts/start.mjs')], {
      cwd: ROOT,
      env: { ...env, PORT: '0' },
    });
    expect(second.code).to.equal(1);
    expect(second.err).to.include(`the embedded ledger in ${dataDir} is in use: the consentkit server (pid`);
    expect(second.err).to.include('docs/errors.md#data-dir-locked');
  });

  it("the demo form's backend holds an attest key, kept 0600 in the data folder and listed by `keys api list`", async () => {
    const file = join(dataDir, 'demo-attest.key');
    expect(server.output()).to.include(
      `the application form's backend attests its records (API key of scope attest in ${file})`,
    );
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    const key = readFileSync(file, 'utf8').trim();
    expect(server.output().includes(key), 'the key itself is never printed').to.equal(false);
    const listed = await consentkit('keys', 'api', 'list', '--json');
    expect(listed.code, listed.err).to.equal(0);
    const keys = JSON.parse(listed.out) as Array<{ name: string; scope: string; revokedAt: string | null }>;
    const demo = keys.filter((k) => k.name === 'pnpm start demo form');
    expect(
      demo.map((k) => [k.scope, k.revokedAt]),
      'one active attest key',
    ).to.deep.equal([['attest', null]]);
  });

  it('keys, state, link, verify and purge --dry-run answer through the server', async () => {
    const key = await consentkit('keys', 'api', 'create', '--scope', 'read', '--name', 'Privacy office', '--json');
    expect(key.code, key.err).to.equal(0);
    readKey = (JSON.parse(key.out) as { key: string }).key;
    expect((await admin('/v1/admin/ledger-status')).status).to.equal(200);

    const state = await consentkit('state', '--email', ADA);
    expect(state.code, state.err).to.equal(0);
    expect(state.out).to.match(/^marketing\s+granted\s+opt-out-standing/m);
    const link = await consentkit('link', '--email', ADA, '--purpose', 'marketing');
    expect(link.code, link.err).to.equal(0);
    expect(link.out).to.include(`unsubscribe: ${server.url}/u/`);
    const verify = await consentkit('verify');
    expect(verify.code, verify.err).to.equal(0);
    expect(verify.out).to.match(/^ok: 3 entries/m);
    const dry = await consentkit('purge', '--dry-run');
    expect(dry.code, dry.err).to.equal(0);
    expect(dry.out).to.match(/dry run, nothing changed\. 3 people examined .* 1 would destroy/);
    const deliveries = await consentkit('partners', 'deliveries', '--status', 'failed');
    expect(deliveries.code, deliveries.err).to.equal(0);
  });

  it('snippet names the running server and the SRI hash of the drop-in it serves', async () => {
    const snippet = await consentkit('snippet', '--json');
    expect(snippet.code, snippet.err).to.equal(0);
    const parsed = JSON.parse(snippet.out) as { ledger: string; src: string; integrity: string };
    expect(parsed.ledger).to.equal(server.url);
    expect(parsed.src).to.equal(`${server.url}/assets/consentkit.js`);
    const served = await fetch(parsed.src);
    expect(served.status).to.equal(200);
    const digest = createHash('sha384')
      .update(Buffer.from(await served.arrayBuffer()))
      .digest('base64');
    expect(parsed.integrity).to.equal(`sha384-${digest}`);
  });

  it('export writes the file where the CLI runs; import refuses the running ledger, restores into a new folder', async () => {
    const exported = await consentkit('export', '--out', 'backup.ndjson');
    expect(exported.code, exported.err).to.equal(0);
    expect(existsSync(join(dir, 'backup.ndjson'))).to.equal(true);
    const refused = await consentkit('import', 'backup.ndjson');
    expect(refused.code).to.equal(1);
    expect(refused.err).to.include('the server is running on this ledger');
    const masterKey = readFileSync(join(dataDir, 'master.key'), 'utf8').trim();
    const restored = await consentkit(
      'import',
      'backup.ndjson',
      '--data-dir',
      join(dir, 'restored'),
      '--master-key',
      masterKey,
    );
    expect(restored.code, restored.err).to.equal(0);
    expect(restored.out).to.match(/^ok: imported 3 entries/);
  });

  it("verify --bundle checks a person's export fetched from the running server", async () => {
    const ref = (await (await admin('/v1/admin/subject-lookup', { query: ADA })).json()) as { subject: string };
    const bundle = await fetch(`${server.url}/v1/subjects/${ref.subject}/export`, {
      headers: { authorization: `Bearer ${readKey}` },
    });
    expect(bundle.status).to.equal(200);
    writeFileSync(join(dir, 'ada-export.jws'), await bundle.text());
    const checked = await consentkit('verify', '--bundle', 'ada-export.jws');
    expect(checked.code, checked.err).to.equal(0);
  });

  it('erase takes effect at once: the server and /admin no longer know the person, and it is audited', async () => {
    const before = await admin('/v1/admin/subject-lookup', { query: BO });
    expect(before.status).to.equal(200);
    const { subject } = (await before.json()) as { subject: string };
    const erased = await consentkit('erase', '--email', BO, '--yes');
    expect(erased.code, erased.err).to.equal(0);
    expect(erased.out).to.match(new RegExp(`^erased subject ${subject}: 1 openings, .* audit entry (\\d+)$`, 'm'));
    const auditSeq = Number(/audit entry (\d+)/.exec(erased.out)?.[1]);
    expect((await admin('/v1/admin/subject-lookup', { query: BO })).status).to.equal(404);
    const gone = await consentkit('state', '--email', BO);
    expect(gone.code).to.equal(0);
    expect(gone.out).to.include('no records for that address');
    const audit = await consentkit('audit', '--json');
    const entries = audit.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { seq: number; action: string; target: string | null });
    expect(entries.find((e) => e.seq === auditSeq)).to.deep.include({ action: 'subject.erase', target: subject });
  });

  it('purge destroys what is past retention through the server; /admin agrees; verify passes', async () => {
    expect((await admin('/v1/admin/subject-lookup', { query: OLD })).status).to.equal(200);
    const purged = await consentkit('purge');
    expect(purged.code, purged.err).to.equal(0);
    expect(purged.out).to.match(/1 destroyed/);
    expect(purged.out).to.match(/deletion receipt [0-9a-f-]{36} \(audit entry \d+\)/);
    expect((await admin('/v1/admin/subject-lookup', { query: OLD })).status).to.equal(404);
    const audit = await consentkit('audit', '--json');
    expect(audit.out).to.include('"action":"retention.purge"');
    const verify = await consentkit('verify');
    expect(verify.code, verify.err).to.equal(0);
  });

  it('`pnpm consentkit state` of an unknown address exits 0: no ELIFECYCLE', async () => {
    const result = await runProcess('pnpm', ['consentkit', 'state', '--email', 'nobody@example.com'], {
      cwd: ROOT,
      env,
    });
    outputs.push(result.out, result.err);
    expect(result.code, result.err).to.equal(0);
    expect(result.out).to.include('no records for that address');
    expect(`${result.out}${result.err}`).to.not.include('ELIFECYCLE');
  });

  it('once the server stops, the same commands give the same answers from the folder itself', async () => {
    const running = await consentkit('state', '--email', ADA, '--json');
    const verifyRunning = await consentkit('verify');
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));
    expect(existsSync(join(dataDir, 'consentkit.lock')), 'the lock is released').to.equal(false);
    const stopped = await consentkit('state', '--email', ADA, '--json');
    expect(stopped.code, stopped.err).to.equal(0);
    expect(JSON.parse(stopped.out)).to.deep.equal(JSON.parse(running.out));
    const verifyStopped = await consentkit('verify');
    // The same ledger, with the reads above audited on top.
    const firstLine = (out: string) => out.split('\n')[0]?.replace(/; \d+\.\d s\)$/, ')');
    expect(firstLine(verifyStopped.out)).to.equal(firstLine(verifyRunning.out));
    expect((await consentkit('state', '--email', BO)).out).to.include('no records for that address');
  });

  it('never an Aborted() from PGlite in any output', () => {
    expect(`${outputs.join('\n')}\n${server.output()}`).to.not.include('Aborted(');
  });
});
