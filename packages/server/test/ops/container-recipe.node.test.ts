// The container recipe without a container runtime: the Dockerfile's build stage
// (scripts/container/build.sh) runs in a clean temporary copy of the repository, then the image's
// CMD runs in the output with the Dockerfile's runtime ENV and WORKDIR (only the port, the data
// folder, the policy and the secrets overridden), as production (NODE_ENV=production, JSON logs).
// It must get /readyz ready, ingest one record, pass the image's HEALTHCHECK command, hold no
// development dependency, source or test file of ours, and stop cleanly on SIGTERM. Not run here:
// the image build itself (FROM, COPY, USER, VOLUME) — see docs/deploy.md.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestSigner, TEST_MASTER_KEY_B64 } from '@consentkit/test-support/keys';
import { testPolicy } from '@consentkit/test-support/policy';
import { POLICY_FILE, signedRecord } from '@consentkit/test-support/server';
import { expect } from 'chai';

const ROOT = resolve(import.meta.dirname, '../../../..');

/** The runtime stage of the Dockerfile: ENV (continued lines joined), WORKDIR, CMD and HEALTHCHECK's CMD. */
function runtimeStage(dockerfile: string) {
  const lines = dockerfile.replace(/\\\n\s*/g, ' ').split('\n');
  const stages = lines.reduce<string[][]>((acc, line) => {
    if (/^FROM /.test(line)) acc.push([]);
    acc.at(-1)?.push(line);
    return acc;
  }, []);
  const build = stages[0] ?? [];
  const runtime = stages.at(-1) ?? [];
  const env: Record<string, string> = {};
  for (const line of runtime.filter((l) => l.startsWith('ENV '))) {
    for (const [, k, v] of line.slice(4).matchAll(/([A-Z_]+)=(\S+)/g)) env[k ?? ''] = v ?? '';
  }
  const json = (prefix: string) => {
    const line = runtime.find((l) => l.startsWith(prefix));
    if (!line) throw new Error(`the Dockerfile's runtime stage has no ${prefix.trim()}`);
    return JSON.parse(line.slice(line.indexOf('['))) as string[];
  };
  return {
    buildRuns: build.filter((l) => l.startsWith('RUN ')).map((l) => l.slice(4)),
    copies: runtime.filter((l) => l.startsWith('COPY ')),
    env,
    workdir:
      runtime
        .find((l) => l.startsWith('WORKDIR '))
        ?.slice(8)
        .trim() ?? '/',
    cmd: json('CMD '),
    healthcheck: json('HEALTHCHECK '),
  };
}

describe('operations: the container recipe, run in a clean folder (production install, start, ready, one record)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'consentkit-container-'));
  const src = join(dir, 'src');
  const out = join(dir, 'out');
  const data = join(dir, 'data');
  const stage = runtimeStage(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
  let child: ChildProcess | undefined;
  let url = '';
  let output = '';

  before(() => {
    // The repository as the image's `COPY . .` sees it: tracked and new files, not what .gitignore and .dockerignore leave out.
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT })
      .toString('utf8')
      .split('\0')
      .filter((f) => f && existsSync(join(ROOT, f)));
    execFileSync('mkdir', ['-p', src]);
    const tar = spawnSync('sh', ['-c', `tar --null -T - -cf - | tar -xf - -C "${src}"`], {
      cwd: ROOT,
      input: files.join('\0'),
    });
    expect(tar.status, tar.stderr.toString()).to.equal(0);
  });
  after(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('the build stage (scripts/container/build.sh) makes a production folder', { timeout: 1_500_000 }, () => {
    expect(stage.buildRuns).to.include('sh scripts/container/build.sh /out');
    expect(stage.copies).to.include('COPY --from=build /out /app');
    const build = spawnSync('sh', ['scripts/container/build.sh', out], {
      cwd: src,
      // The pnpm store on this machine already holds every package; the image fetches them.
      env: { ...process.env, PNPM_INSTALL_FLAGS: '--prefer-offline', CI: 'true' },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(build.status, `${build.stdout}\n${build.stderr}`).to.equal(0);
    const server = join(out, 'server');
    expect(existsSync(join(server, 'dist/cli/consentkit.js'))).to.equal(true);
    expect(existsSync(join(out, 'admin/dist/admin.js'))).to.equal(true);
    // No development dependency, no source, no test of ours.
    const modules = readdirSync(join(server, 'node_modules'));
    for (const dev of [
      'tsx',
      'typescript',
      '@types',
      '@biomejs',
      'rollup',
      'chai',
      'msw',
      '@consentkit/test-support',
    ]) {
      expect(modules, dev).not.to.include(dev);
    }
    expect(readdirSync(join(server, 'node_modules/@consentkit')).sort()).to.deep.equal(['core', 'widget']);
    for (const pkg of [
      server,
      join(server, 'node_modules/@consentkit/core'),
      join(server, 'node_modules/@consentkit/widget'),
    ]) {
      expect(existsSync(join(pkg, 'src')), `${pkg}/src`).to.equal(false);
      expect(existsSync(join(pkg, 'test')), `${pkg}/test`).to.equal(false);
    }
    const ours = spawnSync('sh', ['-c', `find "${server}/dist" -name '*.test.*' | head -1`], { encoding: 'utf8' });
    expect(ours.stdout.trim(), 'a test file in dist').to.equal('');
  });

  it("the image's CMD starts it as production; /readyz is ready; one record is ingested; HEALTHCHECK passes", {
    timeout: 300_000,
  }, async () => {
    const workdir = join(out, stage.workdir.replace(/^\/app\/?/, ''));
    const [command, ...args] = stage.cmd;
    expect(command).to.equal('node');
    expect(stage.env).to.include({ NODE_ENV: 'production', CONSENTKIT_DATA_DIR: '/data' });
    const env = {
      PATH: process.env.PATH ?? '',
      ...stage.env,
      // What an operator sets (compose.yaml, .env.example); the port and the folders are this machine's.
      PORT: '0',
      HOST: '127.0.0.1',
      CONSENTKIT_DATA_DIR: data,
      CONSENTKIT_POLICY: POLICY_FILE,
      CONSENTKIT_MASTER_KEY: TEST_MASTER_KEY_B64,
      PUBLIC_URL: 'https://consent.example.test',
    };
    child = spawn(process.execPath, args, { cwd: workdir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    url = await new Promise<string>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`no start within 240 s:\n${output}`)), 240_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const match = /listening on (http:\/\/[^\s"]+)/.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          done(match[1]);
        }
      };
      child?.stdout?.on('data', onData);
      child?.stderr?.on('data', onData);
      child?.once('exit', (code) => fail(new Error(`exited ${code}:\n${output}`)));
    });
    // Production logs are JSON lines, the start-up line included.
    const first = output.split('\n').find((l) => l.includes('listening on')) ?? '';
    expect(JSON.parse(first)).to.include({ level: 'info' });

    const ready = await fetch(`${url}/readyz`);
    expect(ready.status, output).to.equal(200);
    const signed = await signedRecord({
      signer: await createTestSigner(),
      policy: testPolicy(),
      prev: null,
      email: 'container@example.test',
    });
    const response = await fetch(`${url}/v1/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ records: [{ jws: signed.jws, opening: signed.opening }] }),
    });
    expect(response.status).to.equal(200);
    const { results } = (await response.json()) as { results: { status: string }[] };
    expect(results[0]?.status).to.equal('accepted');

    const [hcCommand, ...hcArgs] = stage.healthcheck;
    expect(hcCommand).to.equal('node');
    const health = spawnSync(process.execPath, hcArgs, { env: { ...env, PORT: new URL(url).port }, timeout: 30_000 });
    expect(health.status, 'HEALTHCHECK exit code').to.equal(0);

    const exited = new Promise<number | null>((done) => child?.once('exit', (code) => done(code)));
    child.kill('SIGTERM');
    expect(await exited, output).to.equal(0);
  });
});
