import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestSigner, TEST_MASTER_KEY_B64 } from '@consentkit/test-support/keys';
import { cli, createTestDatabase, POLICY_FILE, postRecords, signedRecord } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { createProgressBar } from '../cli/progress.js';
import { purgeExpired } from '../retention/purge.js';
import { loadConfig } from '../runtime/config.js';
import { openServer } from '../runtime/server.js';

// `consentkit export` / `consentkit import` end to end through the CLI: PGlite folder → PostgreSQL.

const common = ['--master-key', TEST_MASTER_KEY_B64, '--policy', POLICY_FILE, '--public-url', 'https://ledger.example'];
const EMAILS = ['ivy@example.com', 'jon@example.com'];

describe('consentkit export / import (pglite folder → postgres)', () => {
  let dir = '';
  let source: string[] = [];
  let secret = '';
  const targets: { drop(): Promise<void> }[] = [];
  const newTarget = async () => {
    const db = await createTestDatabase();
    targets.push(db);
    return ['--database-url', db.url, ...common];
  };
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ck-backup-cli-'));
    source = ['--data-dir', join(dir, 'data'), ...common];
    const opened = await openServer(loadConfig({ argv: source, env: {} }));
    try {
      const signer = await createTestSigner();
      let prev: string | null = null;
      for (const email of EMAILS) {
        const signed = await signedRecord({ signer, policy: opened.context.policies.current, prev, email });
        await postRecords(opened.app, [{ jws: signed.jws, opening: signed.opening }]);
        prev = signed.digest;
      }
      // A deletion receipt and a registered partner: both must come through the backup.
      await purgeExpired(opened.context, { actor: 'test' });
      ({ secret } = await opened.context.partners.add(opened.context.store, {
        id: 'authorized-partners',
        endpoint: 'https://partner.example/consent-webhooks',
        policy: opened.context.policies.current,
      }));
    } finally {
      await opened.close();
    }
  });
  after(async () => {
    for (const t of targets) await t.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exports to a file, imports into an empty PostgreSQL, which verifies and answers the same', async () => {
    const file = join(dir, 'backup.ndjson');
    const exported = await cli(['export', '--out', file, ...source]);
    expect(exported.code, exported.err).to.equal(0);
    // Not a terminal here: no progress bar, no control characters anywhere.
    expect(exported.err).to.not.include('\r');
    expect(readFileSync(file, 'utf8')).to.not.include('\r').and.not.include('\u001b');
    // The partner's webhook secret travels sealed only.
    expect(secret).to.match(/^whsec_/);
    expect(readFileSync(file, 'utf8')).to.not.include(secret).and.not.include('whsec_');
    const target = await newTarget();
    const imported = await cli(['import', file, ...target]);
    expect(imported.code, imported.err).to.equal(0);
    expect(imported.out).to.match(/^ok: imported 2 entries \(head 2\), 2 subjects, 2 openings/);
    expect(imported.out).to.match(
      /, 1 deletion receipts, 1 partners, 0 partner deliveries; every chain and receipt verified$/,
    );
    const verified = await cli(['verify', ...target]);
    expect(verified.code, verified.err).to.equal(0);
    expect(verified.out).to.match(/^ok: 2 entries/);
    for (const email of EMAILS) {
      const before = await cli(['state', '--email', email, '--json', ...source]);
      const after = await cli(['state', '--email', email, '--json', ...target]);
      expect(after.code, after.err).to.equal(0);
      expect(JSON.parse(after.out)).to.deep.equal(JSON.parse(before.out));
    }
    // Once restored, the target is no longer empty: a second import is refused.
    const again = await cli(['import', file, ...target]);
    expect(again.code).to.equal(1);
    expect(again.err).to.match(/REFUSED: the target ledger is not empty/);
  });

  it('refuses a tampered backup with the line and reason, and leaves the target empty', async () => {
    const file = join(dir, 'backup.ndjson');
    const tampered = join(dir, 'tampered.ndjson');
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const at = lines.findIndex((l) => l.includes('"type":"entry"'));
    lines[at] = (lines[at] ?? '').replace(/"receivedAt":"[^"]+"/, '"receivedAt":"2001-01-01T00:00:00.000Z"');
    writeFileSync(tampered, `${lines.join('\n')}\n`);
    const target = await newTarget();
    const refused = await cli(['import', tampered, ...target]);
    expect(refused.code).to.equal(1);
    expect(refused.err).to.match(/REFUSED: the ledger does not verify at entry 1 .*entryHash/);
    expect(refused.err).to.include('nothing was imported');
    const verified = await cli(['verify', ...target]);
    expect(verified.out, verified.err).to.match(/^ok: 0 entries/);
    const usage = await cli(['import', ...target]);
    expect(usage.code).to.equal(2);
    expect(usage.err).to.match(/name the backup file/);
  });
});

describe('the progress bar', () => {
  it('draws on a terminal, in place, and ends at 100%', () => {
    const written: string[] = [];
    const bar = createProgressBar('exporting', { isTTY: true, write: (s: string) => written.push(s) });
    bar.update(1, 4);
    bar.update(4, 4);
    bar.finish(4, 4);
    expect(written[0]).to.match(/^\rexporting \[#{8}-{22}\] 25% 1\/4$/);
    expect(written.at(-2)).to.match(/^\rexporting \[#{30}\] 100% 4\/4$/);
    expect(written.at(-1)).to.equal('\n');
  });
  it('writes nothing when stderr is not a terminal', () => {
    const written: string[] = [];
    const bar = createProgressBar('exporting', { isTTY: false, write: (s: string) => written.push(s) });
    bar.update(1, 4);
    bar.finish(4, 4);
    expect(written).to.deep.equal([]);
  });
});
