import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProcess } from '@consentkit/test-support/server';
import { expect } from 'chai';

// The `consentkit` bin as a user gets it: the packages packed from a build (`pnpm pack`, which
// turns workspace: ranges into versions), installed with npm into an empty project, and run as
// `npx consentkit` through npm's .bin symlink. Needs `pnpm build` first (as `bash .ci/run` does).

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const PACKAGES = ['core', 'sdk', 'widget', 'server'];

describe('the consentkit bin installed from npm pack tarballs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ck-pack-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('npx consentkit --help prints the help through the .bin symlink; snippet finds the installed drop-in', async () => {
    for (const pkg of PACKAGES) {
      expect(existsSync(join(ROOT, 'packages', pkg, 'dist')), `packages/${pkg}/dist: run pnpm build first`).to.equal(
        true,
      );
      const packed = await runProcess('pnpm', ['pack', '--pack-destination', dir], {
        cwd: join(ROOT, 'packages', pkg),
      });
      expect(packed.code, packed.err).to.equal(0);
    }
    const tarballs = readdirSync(dir).filter((f) => f.endsWith('.tgz'));
    expect(tarballs).to.have.length(PACKAGES.length);
    const app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{ "name": "app", "private": true, "type": "module" }\n');
    const installed = await runProcess(
      'npm',
      ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs.map((t) => join(dir, t))],
      { cwd: app },
    );
    expect(installed.code, installed.err).to.equal(0);
    const help = await runProcess('npx', ['consentkit', '--help'], { cwd: app });
    expect(help.code, help.err).to.equal(0);
    expect(help.out).to.match(/^Usage: consentkit <command>/);
    const state = await runProcess('npx', ['consentkit', 'state', '--help'], { cwd: app });
    expect(state.out).to.match(/^Usage: consentkit state --email <address>/);
    // The drop-in travels in the widget's tarball with its build-time gzip and brotli copies, and
    // the installed server finds it there: `consentkit snippet` hashes the file it would serve.
    const dist = join(app, 'node_modules', '@consentkit', 'widget', 'dist');
    for (const file of ['consentkit.js', 'consentkit.js.gz', 'consentkit.js.br']) {
      expect(existsSync(join(dist, file)), file).to.equal(true);
    }
    const snippet = await runProcess(
      'npx',
      ['consentkit', 'snippet', '--json', '--public-url', 'https://consent.shop.example'],
      {
        cwd: app,
      },
    );
    expect(snippet.code, snippet.err).to.equal(0);
    const integrity = `sha384-${createHash('sha384')
      .update(readFileSync(join(dist, 'consentkit.js')))
      .digest('base64')}`;
    expect(JSON.parse(snippet.out)).to.include({ src: 'https://consent.shop.example/assets/consentkit.js', integrity });
  });
});
