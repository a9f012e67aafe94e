// `consentkit policy check FILE` through the CLI runner: a valid policy's table (per purpose and
// jurisdiction), an invalid one's problems with their paths and fixes (exit 1), usage mistakes
// (exit 2), and the guide sections the fixes point at exist.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allstreamPolicy } from '@consentkit/test-support/policy';
import { cli } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { GUIDE, type PolicyCheckRow } from './policy-check-command.js';

const POLICY = new URL('../../../../examples/policies/allstream.json', import.meta.url).pathname;
const GUIDE_FILE = new URL('../../../../docs/policy.md', import.meta.url);

describe('consentkit policy check', () => {
  let dir: string;
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const variant = (mutate: (policy: Record<string, unknown> & { purposes: Record<string, unknown>[] }) => void) => {
    const policy = structuredClone(allstreamPolicy) as unknown as Record<string, unknown> & {
      purposes: Record<string, unknown>[];
    };
    mutate(policy);
    return JSON.stringify(policy);
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ck-policy-check-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints, per purpose and jurisdiction, the basis, the legal basis and what the widget shows (exit 0)', async () => {
    const run = await cli(['policy', 'check', POLICY]);
    expect(run.code, run.err).to.equal(0);
    expect(run.out).to.include('policy allstream 1.1 is valid: 6 purposes, locales en, fr, jurisdiction CA');
    const lines = run.out.split('\n');
    const block = (purpose: string) => lines.slice(lines.findIndex((l) => l.startsWith(`${purpose} (`))).slice(0, 4);
    const [heading, header, home, gdpr] = block('loyalty-programme');
    expect(heading).to.equal('loyalty-programme (Loyalty programme)');
    expect(header).to.match(/jurisdiction\s+basis\s+legal basis\s+widget\s+default\s+what it shows/);
    expect(home).to.match(
      /^ {2}CA \(policy\)\s+opt-out\s+implied-consent\s+opt-out\s+on until they opt out\s+a "don't" box/,
    );
    expect(gdpr).to.match(/^ {2}GDPR\s+express\s+consent\s+express box\s+off\s+an unticked "yes" box/);
    expect(block('partner-sharing')[0]).to.include('Global Privacy Control opts out (sharing)');
    expect(block('partner-sharing')[3]).to.match(/^ {2}GDPR \(as policy\)\s+express\s+consent\s+express box\s+off/);
    expect(block('application-processing')[2]).to.match(/CA \(policy\)\s+implied\s+implied-consent\s+implied notice/);
  });

  it('--json gives one row per purpose and jurisdiction', async () => {
    const run = await cli(['policy', 'check', POLICY, '--json']);
    expect(run.code).to.equal(0);
    const body = JSON.parse(run.out) as { valid: boolean; rows: PolicyCheckRow[] };
    expect(body.valid).to.equal(true);
    expect(body.rows).to.have.length(allstreamPolicy.purposes.length * 2);
    expect(body.rows.find((r) => r.purpose === 'marketing' && r.jurisdiction === 'GDPR')).to.deep.include({
      basis: 'opt-out',
      legalBasis: 'soft-opt-in',
      override: 'GDPR',
      mode: 'opt-out',
      defaultState: 'on until they opt out',
    });
  });

  it('names the path of each bad field, what is wrong and how to fix it (exit 1)', async () => {
    // The schema checks the rules between fields once every field has its shape: one file each.
    const file = write(
      'bad.json',
      variant((policy) => {
        delete policy.purposes[1]?.title;
        policy.purposes[2] = { ...policy.purposes[2], retention: 'two years' };
      }),
    );
    const run = await cli(['policy', 'check', file]);
    expect(run.code).to.equal(1);
    expect(run.out).to.equal('');
    expect(run.err).to.match(/^\[consentkit\] .*bad\.json is not a valid policy \(2 problems\):/);
    expect(run.err).to.match(/ {2}purposes\.1\.title: /);
    expect(run.err).to.include('fix: title as docs/policy.md#translations describes');
    expect(run.err).to.match(/ {2}purposes\.2\.retention: /);
    expect(run.err).to.include('fix: retention as docs/policy.md#retention describes');
    expect(run.err).not.to.match(/\n\s+at /); // no stack trace

    const shared = await cli([
      'policy',
      'check',
      write(
        'opt-out-sharing.json',
        variant((policy) => {
          const sharing = policy.purposes.find((p) => p.id === 'partner-sharing');
          if (sharing) Object.assign(sharing, { basis: 'opt-out', legalBasis: 'implied-consent' });
        }),
      ),
    ]);
    expect(shared.code).to.equal(1);
    expect(shared.err).to.match(/ {2}purposes\.4\.basis: .*partner-sharing.*express/);
    expect(shared.err).to.include('fix: basis as docs/policy.md#basis-express-implied-opt-out describes');

    const json = await cli(['policy', 'check', file, '--json']);
    expect(json.code).to.equal(1);
    const body = JSON.parse(json.out) as { valid: boolean; problems: { path: string; fix: string }[] };
    expect(body.valid).to.equal(false);
    expect(body.problems.map((p) => p.path)).to.deep.equal(['purposes.1.title', 'purposes.2.retention']);
  });

  it('a file that is not JSON is an invalid policy (exit 1)', async () => {
    const run = await cli(['policy', 'check', write('broken.json', '{ "id": ')]);
    expect(run.code).to.equal(1);
    expect(run.err).to.match(/\(file\): not JSON \(/);
  });

  it('usage mistakes exit 2 and say what to type', async () => {
    for (const [argv, says] of [
      [['policy'], 'the only subcommand is check'],
      [['policy', 'lint', POLICY], 'the only subcommand is check'],
      [['policy', 'check'], 'consentkit policy check <file>'],
      [['policy', 'check', join(dir, 'missing.json')], 'cannot read'],
      [['policy', 'check', POLICY, 'another.json'], 'unexpected: another.json'],
    ] as const) {
      const run = await cli([...argv]);
      expect(run.code, argv.join(' ')).to.equal(2);
      expect(run.err, argv.join(' ')).to.include(says);
    }
  });

  it('--help lists its own option and no ledger settings; the top-level help lists the command', async () => {
    const help = await cli(['policy', '--help']);
    expect(help.code).to.equal(0);
    expect(help.out).to.include('consentkit policy check <file> [--json]');
    expect(help.out).not.to.include('--data-dir');
    expect((await cli(['--help'])).out).to.match(/\n {2}policy {3}check a policy file/);
  });

  it('every fix points at a section docs/policy.md has', () => {
    const slugs = readFileSync(GUIDE_FILE, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('#'))
      .map((line) =>
        line
          .replace(/^#+\s*/, '')
          .toLowerCase()
          .replace(/[^a-z0-9 -]/g, '')
          .replaceAll(' ', '-'),
      );
    for (const section of new Set([...Object.values(GUIDE), 'the-shape'])) expect(slugs, section).to.include(section);
  });
});
