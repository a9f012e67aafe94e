// What `npm pack` would publish carries no test code. Runs `npm pack --dry-run --json` in every
// package under packages/ and fails on any listed file that looks like a test, a fixture, a fuzz
// harness, a mock or a test kit. Builds nothing: the lists depend on dist/, so a missing dist
// fails with "run pnpm build first". A self-test plants one file of each kind, so a matcher that
// finds nothing cannot pass silently.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { expect } from 'chai';

const root = resolve(import.meta.dirname, '..');

/** Paths that mean test code, each with what it is. Matched against each packed path. */
export const TEST_CODE = [
  { re: /\.test\./, what: 'a test file' },
  { re: /(^|\/)tests?\//, what: 'a test folder' },
  { re: /fixture/i, what: 'a fixture' },
  { re: /fuzz/i, what: 'a fuzz harness' },
  { re: /(^|[/.-])mocks?([/.-]|$)/i, what: 'a mock' },
  { re: /test-kit/i, what: 'a test kit' },
  { re: /-kit\./, what: 'a test kit' },
  { re: /(^|\/)support\//, what: 'test support' },
];

/** Every path in `paths` that looks like test code, with the reason. */
export function testCodeIn(paths) {
  return paths.flatMap((path) => TEST_CODE.filter(({ re }) => re.test(path)).map(({ what }) => `${path} (${what})`));
}

/** Every package under packages/ but the test-support package, which is all test support and never packed. */
function packages() {
  return readdirSync(join(root, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, 'packages', entry.name, 'package.json')))
    .map((entry) => entry.name)
    .filter((name) => {
      const manifest = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'));
      return manifest.name !== '@consentkit/test-support';
    })
    .sort();
}

/** The file list `npm pack` would publish for packages/<name>. */
function packList(name) {
  const dir = join(root, 'packages', name);
  if (!existsSync(join(dir, 'dist'))) throw new Error(`packages/${name}/dist is missing: run pnpm build first`);
  const result = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: dir,
    encoding: 'utf8',
    // npm writes notices to stderr; only the JSON on stdout matters.
    env: { ...process.env, npm_config_loglevel: 'error' },
  });
  if (result.status !== 0) throw new Error(`npm pack failed in packages/${name}: ${result.stderr}`);
  const [report] = JSON.parse(result.stdout);
  return report.files.map((file) => file.path);
}

describe('npm pack contents', () => {
  const names = packages();

  it('covers every package under packages/', () => {
    for (const name of ['core', 'sdk', 'widget', 'admin', 'server']) expect(names).to.include(name);
  });

  for (const name of names) {
    it(`packages/${name}: no test code in what npm pack would publish`, () => {
      const files = packList(name);
      expect(
        files.some((f) => f.startsWith('dist/')),
        'the pack carries the build',
      ).to.equal(true);
      expect(testCodeIn(files)).to.deep.equal([]);
    });
  }

  it('self-test: flags one planted file of each kind, and no production file', () => {
    const planted = [
      'dist/types/record.test.d.ts',
      'dist/test/ledger.js',
      'dist/types/test/fixtures.d.ts',
      'dist/types/fuzz/fuzz-runs.d.ts',
      'dist/types/ledger.mocks.d.ts',
      'dist/mocks/index.js',
      'dist/routes/hosted-test-kit.js',
      'dist/security/security-kit.d.ts',
      'dist/test/support/store-conformance.js',
      'dist/support/memory-client.js',
    ];
    const flagged = testCodeIn(planted).map((line) => line.split(' ')[0]);
    for (const path of planted) expect(flagged, path).to.include(path);
    const production = [
      'dist/consentkit.js',
      'dist/cli/consentkit.js',
      'dist/types/outbox/memory-store.d.ts',
      'dist/types/internal/form-associated.d.ts',
      'dist/chunks/consent-optout-Byi8SpWC.js',
      'custom-elements.json',
      'README.md',
      'package.json',
    ];
    expect(testCodeIn(production)).to.deep.equal([]);
  });
});
