// A supported Node: Node 22 LTS is the floor, Node 24 LTS the default. Every package.json says so,
// and the README quick start's first command, run where the machine's node is older, brings Node 24
// from the npm registry and installs without a single "Unsupported engine" warning.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { expect } from 'chai';

const root = resolve(import.meta.dirname, '..');

function workspacePackageFiles() {
  const files = ['package.json'];
  for (const dir of ['packages', 'examples']) {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const file = `${dir}/${entry.name}/package.json`;
      if (entry.isDirectory() && existsSync(join(root, file))) files.push(file);
    }
  }
  return files;
}

/** The major version of the node at `bin`, or 0 when there is none. */
function majorOf(bin) {
  if (!existsSync(bin)) return 0;
  return Number(execFileSync(bin, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }).trim());
}

/**
 * A PATH whose `node` is older than 22: the machine's /usr/bin/node where it is (Debian's Node 20
 * on our machines), else a stand-in that reports 20 and runs the real node for everything else.
 */
function oldNodePath(scratch) {
  if (majorOf('/usr/bin/node') > 0 && majorOf('/usr/bin/node') < 22) return '/usr/bin:/bin';
  const bin = join(scratch, 'old-node');
  execFileSync('mkdir', ['-p', bin]);
  const shim = join(bin, 'node');
  writeFileSync(
    shim,
    `#!/bin/sh\ncase "$*" in *process.versions.node*) echo 20 ;; --version) echo v20.0.0 ;; *) exec "${process.execPath}" "$@" ;; esac\n`,
  );
  chmodSync(shim, 0o755);
  return `${bin}:/usr/bin:/bin`;
}

describe('a supported Node (Node 22 floor, Node 24 default)', () => {
  it('every package.json in the workspace requires Node 22 or newer', () => {
    const files = workspacePackageFiles();
    expect(files.length).to.be.greaterThan(6);
    const engines = Object.fromEntries(
      files.map((file) => [file, JSON.parse(readFileSync(join(root, file), 'utf8')).engines?.node]),
    );
    expect(engines).to.deep.equal(Object.fromEntries(files.map((file) => [file, '>=22'])));
  });

  it('the README quick start and .ci/run both source scripts/use-node.sh before pnpm', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).to.match(/^\. scripts\/use-node\.sh && pnpm install && pnpm start/m);
    expect(readme).to.include('prints no\n"Unsupported engine" warning');
    const ci = readFileSync(join(root, '.ci/run'), 'utf8');
    expect(ci.indexOf('. scripts/use-node.sh')).to.be.greaterThan(0);
    expect(ci.indexOf('. scripts/use-node.sh')).to.be.lessThan(ci.indexOf('pnpm install'));
  });

  describe('the quick start on a machine whose node is older than 22', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'consentkit-node-'));
    after(() => rmSync(scratch, { recursive: true, force: true }));

    it('brings Node 24 and pnpm from the npm registry, and pnpm install prints no engine warning', () => {
      // A fresh clone of this commit, as a newcomer has it.
      const clone = join(scratch, 'clone');
      execFileSync('git', ['clone', '--quiet', '--no-hardlinks', root, clone]);
      const head = execFileSync('git', ['-C', root, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
      execFileSync('git', ['-C', clone, 'checkout', '--quiet', head]);
      const store = execFileSync('pnpm', ['store', 'path'], { cwd: root, encoding: 'utf8' }).trim();
      const path = oldNodePath(scratch);
      // The README's first command, up to `pnpm start` (a server the test would have to stop);
      // `--offline` with the machine's pnpm store: the registry was already proven by the downloads above.
      const script = [
        'node --version',
        '. scripts/use-node.sh',
        'echo "node=$(node --version) pnpm=$(pnpm --version)"',
        `pnpm install --frozen-lockfile --offline --store-dir "${store}"`,
      ].join(' && ');
      const result = spawnSync('sh', ['-c', script], {
        cwd: clone,
        encoding: 'utf8',
        env: { ...process.env, PATH: path, CONSENTKIT_NODE_HOME: join(scratch, 'node-home'), CI: 'true' },
        timeout: 280_000,
      });
      const output = `${result.stdout}\n${result.stderr}`;
      expect(result.status, output).to.equal(0);
      expect(output).to.match(/^v(1\d|2[01])\./m); // the node the shell started with is old
      expect(output).to.match(/node=v24\.\d+\.\d+ pnpm=\d+\.\d+\.\d+/);
      expect(output).to.include('installing Node 24 from the npm registry');
      expect(output).not.to.match(/Unsupported engine/i);
    });
  });
});
