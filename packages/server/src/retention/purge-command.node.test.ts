import { cli, cliTargets, seedLedger } from '@consentkit/test-support/server';
import { expect } from 'chai';

// Retention from the console: `consentkit purge [--dry-run] [--json] [--now]`,
// `purge --receipts`, and `verify` afterwards. Records are dated 2008 (the ledger accepts history
// imported late), so a real purge at today's date finds them past retention.

const GONE = 'gone.applicant@example.com';
const STAYS = 'stays.sharing@example.com';

for (const target of cliTargets('ck-cli-purge-')) {
  describe(`consentkit purge (${target.name})`, () => {
    let flags: string[] = [];
    let drop: () => Promise<void>;
    before(async () => {
      ({ flags, drop } = await target.create());
      const apply = { purpose: 'application-processing', granted: true, basis: 'implied' } as const;
      const share = { purpose: 'partner-sharing', granted: true, basis: 'express' } as const;
      const now = new Date('2008-04-01T12:00:00Z');
      // The site's backend posts them (site assurance), so the express grant counts at once.
      const statuses = await seedLedger(
        flags,
        [
          { email: GONE, decisions: [apply], now },
          { email: STAYS, decisions: [apply, share], now },
        ],
        { site: true },
      );
      expect(statuses).to.deep.equal([200, 200]);
    });
    after(() => drop());

    it('--dry-run --json lists who would go, by ref, and changes nothing', async () => {
      const dry = await cli(['purge', '--dry-run', '--json', ...flags]);
      expect(dry.code, dry.err).to.equal(0);
      const report = JSON.parse(dry.out) as { dryRun: boolean; subjects: { subjectRef: string }[]; counts: object };
      expect(report.dryRun).to.equal(true);
      expect(report.subjects).to.have.length(1);
      expect(report.counts).to.deep.include({ examined: 2, ongoing: 1, destroyed: 1 });
      expect(dry.out).to.not.include('applicant');
      const receipts = await cli(['purge', '--receipts', ...flags]);
      expect(receipts.out).to.include('no deletion receipts yet');
      expect((await cli(['state', '--email', GONE, ...flags])).code, 'still there').to.equal(0);
    });

    it('refuses a future --now for a real purge, and a malformed one, with exit 2 and the fix', async () => {
      const future = await cli(['purge', '--now', '2999-01-01T00:00:00Z', ...flags]);
      expect(future.code).to.equal(2);
      expect(future.err).to.match(/--now is in the future.*--dry-run/);
      const bad = await cli(['purge', '--dry-run', '--now', 'next tuesday', ...flags]);
      expect(bad.code).to.equal(2);
      expect(bad.err).to.match(/RFC 3339 time such as/);
      const badMax = await cli(['purge', '--max', '0', ...flags]);
      expect(badMax.code).to.equal(2);
      expect(badMax.err).to.match(/--max takes a whole number/);
    });

    it('a dry run may look ahead: in 2200 only the express grant still stands', async () => {
      const ahead = await cli(['purge', '--dry-run', '--now', '2200-01-01', ...flags]);
      expect(ahead.code, ahead.err).to.equal(0);
      expect(ahead.out).to.match(
        /2 people examined at 2200-01-01T00:00:00.000Z: 1 with processing still justified, 0 inside retention, 1 would destroy/,
      );
    });

    it('purge destroys, prints the receipt; the receipts list verifies it; verify passes; the address is unknown', async () => {
      const run = await cli(['purge', ...flags]);
      expect(run.code, run.err).to.equal(0);
      expect(run.out).to.match(/1 destroyed/);
      expect(run.out).to.match(/deletion receipt [0-9a-f-]{36} \(audit entry \d+\)/);
      expect(run.out).to.not.include('applicant');
      const list = await cli(['purge', '--receipts', '--json', ...flags]);
      expect(list.code, list.err).to.equal(0);
      const receipts = JSON.parse(list.out) as { verified: boolean; subjects: number }[];
      expect(receipts.map((r) => [r.verified, r.subjects])).to.deep.equal([[true, 1]]);
      const verify = await cli(['verify', ...flags]);
      expect(verify.code, verify.err).to.equal(0);
      expect(verify.out).to.match(/ok: 2 entries/);
      const gone = await cli(['state', '--email', GONE, ...flags]);
      expect(gone.code).to.equal(0);
      expect(gone.out).to.include('no records for that address');
      expect((await cli(['state', '--email', STAYS, ...flags])).code).to.equal(0);
      const audit = await cli(['audit', ...flags]);
      expect(audit.out).to.match(/retention\.purge/);
    });
  });
}
