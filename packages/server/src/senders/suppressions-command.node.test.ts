import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, cliTargets, seedLedger } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { emailSha256 } from './suppression-feed.js';

// `consentkit suppressions export`: the suppression feed from the console, on both stores.

const optOut = (email: string) => ({
  email,
  decisions: [{ purpose: 'marketing', granted: false, basis: 'opt-out' as const }],
});

for (const target of cliTargets('ck-cli-suppr-')) {
  describe(`consentkit suppressions export (${target.name})`, () => {
    let flags: string[] = [];
    let drop: () => Promise<void>;
    const dir = mkdtempSync(join(tmpdir(), 'ck-suppr-out-'));
    before(async () => {
      ({ flags, drop } = await target.create());
      await seedLedger(flags, ['ann@example.com', 'bo@example.com', optOut('ann@example.com')]);
    });
    after(async () => {
      await drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('writes CSV with a header, the addresses and their SHA-256, and a cursor that resumes after it', async () => {
      const run = await cli(['suppressions', 'export', '--purpose', 'marketing', ...flags]);
      expect(run.code, run.err).to.equal(0);
      const lines = run.out.split('\n');
      expect(lines[0]).to.equal('seq,change,email,email_sha256,status,reason,record_id,at');
      const rows = lines.slice(1).map((l) => l.split(','));
      expect(rows.map((r) => [r[1], r[2]])).to.deep.equal([
        ['allow', 'ann@example.com'],
        ['allow', 'bo@example.com'],
        ['suppress', 'ann@example.com'],
      ]);
      expect(rows[2]?.[3]).to.equal(emailSha256('ann@example.com'));
      const cursor = /--since (\S+)/.exec(run.err)?.[1] ?? '';
      expect(cursor).to.match(/^c1\./);

      await seedLedger(flags, [optOut('bo@example.com')]);
      const file = join(dir, 'next.ndjson');
      const next = await cli([
        'suppressions',
        'export',
        '--purpose',
        'marketing',
        '--since',
        cursor,
        '--format',
        'ndjson',
        '--out',
        file,
        ...flags,
      ]);
      expect(next.code, next.err).to.equal(0);
      const changes = readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { email: string; change: string });
      expect(changes.map((c) => [c.change, c.email])).to.deep.equal([['suppress', 'bo@example.com']]);
      expect(next.err).to.include('exported 1 changes for marketing');
    });

    it('the export is one audit entry with its count, never an address', async () => {
      const audit = await cli(['audit', '--json', ...flags]);
      const entries = audit.out
        .split('\n')
        .map((l) => JSON.parse(l) as { action: string; detail: { changes?: number } })
        .filter((e) => e.action === 'senders.suppressions');
      expect(entries.map((e) => e.detail.changes)).to.deep.equal([3, 1]);
      expect(audit.out).to.not.include('@example.com');
    });

    it('refuses a foreign cursor, an unknown purpose, a bad format: exit code and a sentence, no stack', async () => {
      const bad = await cli(['suppressions', 'export', '--purpose', 'marketing', '--since', 'c1.e30.AAAA', ...flags]);
      expect(bad.code).to.equal(1);
      expect(bad.err).to.include('the cursor is not valid');
      expect(bad.err).to.not.match(/\n\s+at /);
      const purpose = await cli(['suppressions', 'export', '--purpose', 'marketting', ...flags]);
      expect(purpose.code).to.equal(1);
      expect(purpose.err).to.include('is not in policy');
      const format = await cli(['suppressions', 'export', '--purpose', 'marketing', '--format', 'xml', ...flags]);
      // A usage mistake: a non-zero exit and the sentence that says what to pass.
      expect(format.code).to.not.equal(0);
      expect(format.err).to.include('--format is csv or ndjson');
      const none = await cli(['suppressions', ...flags]);
      expect(none.code).to.not.equal(0);
      expect(none.err).to.include('consentkit suppressions export --purpose');
    });
  });
}
