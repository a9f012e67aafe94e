import { splitArgs } from '../cli/args.js';
import { type Command, cliActor, type Io, withServer } from '../cli/command.js';
import { type PurgeReport, purgeExpired } from './purge.js';
import { listDeletionReceipts, verifyDeletionReceipt } from './purge-receipt.js';

/**
 * `consentkit purge`: destroys what is past retention, or with --dry-run
 * lists what would go; `--receipts` lists the signed deletion receipts and checks each against
 * the ledger's JWKS. Output names subject refs and counts, never an identifier.
 */
const PURGE_USAGE =
  'consentkit purge [--dry-run] [--json] [--now <RFC 3339 time>] [--max <n>]\n' +
  'consentkit purge --receipts [--json] [--limit <n>]';

// A real purge may not run "in the future": destroying data early cannot be undone. Previewing a
// future date is what --dry-run is for. One minute of slack for clocks a little apart.
const FUTURE_SLACK_MS = 60_000;

function parseNow(value: string | true | undefined): Date | string {
  if (value === undefined) return new Date();
  if (
    typeof value !== 'string' ||
    !/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(value)
  ) {
    return '--now takes an RFC 3339 time such as 2033-01-31T00:00:00Z (or a date, 2033-01-31)';
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? `--now: "${value}" is not a valid date` : date;
}

function wholeNumber(value: string | true | undefined, flag: string, fallback: number): number | string {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : Number.NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : `${flag} takes a whole number above 0`;
}

function printReport(report: PurgeReport, io: Io): void {
  const verb = report.dryRun ? 'would destroy' : 'destroyed';
  const c = report.counts;
  io.out(
    `${report.dryRun ? 'dry run, nothing changed. ' : ''}${c.examined} people examined at ${report.purgedAt}: ` +
      `${c.ongoing} with processing still justified, ${c.retained} inside retention, ${c.destroyed} ${verb}`,
  );
  for (const s of report.subjects) {
    io.out(
      `  ${s.subjectRef}  kept until ${s.keepUntil}  ${s.records} records, ${s.openings} openings, ` +
        `${s.commitments} commitment links, ${s.dataKeys} data key`,
    );
  }
  if (report.remaining > 0) io.out(`${report.remaining} more past retention: run purge again`);
  if (report.receipt) io.out(`deletion receipt ${report.receipt.id} (audit entry ${report.receipt.auditSeq})`);
}

async function runPurge(argv: readonly string[], io: Io): Promise<number> {
  const { options, rest } = splitArgs(argv, {
    'dry-run': 'boolean',
    json: 'boolean',
    now: 'value',
    max: 'value',
    receipts: 'boolean',
    limit: 'value',
  });
  const now = parseNow(options.now);
  const max = wholeNumber(options.max, '--max', 10_000);
  const limit = wholeNumber(options.limit, '--limit', 100);
  const dryRun = options['dry-run'] === true;
  for (const problem of [now, max, limit]) {
    if (typeof problem === 'string') {
      io.err(`consentkit purge: ${problem}\n\nusage: ${PURGE_USAGE}`);
      return 2;
    }
  }
  if (!dryRun && !options.receipts && (now as Date).getTime() > Date.now() + FUTURE_SLACK_MS) {
    io.err(
      'consentkit purge: --now is in the future; a purge cannot be undone, so only --dry-run may look ahead ' +
        `(e.g. consentkit purge --dry-run --now ${(now as Date).toISOString()})`,
    );
    return 2;
  }
  return withServer(rest, async ({ context }) => {
    if (options.receipts) {
      const keys = await context.keyring.publicJwks();
      const receipts = await listDeletionReceipts(context.store, { limit: limit as number });
      let faults = 0;
      const checked = [];
      for (const r of receipts) {
        try {
          const claims = await verifyDeletionReceipt(r.jws, keys);
          const matches = claims.receiptId === r.id && claims.subjects.length === r.subjects;
          if (!matches) faults++;
          checked.push({ ...r, verified: matches, claims });
        } catch (error) {
          faults++;
          checked.push({ ...r, verified: false, error: error instanceof Error ? error.message : String(error) });
        }
      }
      if (options.json) io.out(JSON.stringify(checked, null, 2));
      else {
        for (const r of checked) {
          io.out(
            `${r.id}  ${r.purgedAt}  ${String(r.subjects).padStart(5)} people  audit ${r.auditSeq}  ${r.verified ? 'signature ok' : 'SIGNATURE FAULT'}`,
          );
        }
        if (checked.length === 0) io.out('no deletion receipts yet (consentkit purge writes one per run)');
      }
      return faults === 0 ? 0 : 1;
    }
    const terminal = io.terminal;
    const report = await purgeExpired(context, {
      now: now as Date,
      dryRun,
      actor: cliActor(),
      maxSubjects: max as number,
      ...(terminal
        ? {
            onProgress: (phase: 'examining' | 'destroying', done: number, total: number) =>
              terminal.write(
                `\r\x1b[K${phase === 'examining' ? `examining: ${done} people` : `destroying: ${done}/${total} people`}`,
              ),
          }
        : {}),
    });
    terminal?.write('\r\x1b[K');
    if (options.json) io.out(JSON.stringify(report, null, 2));
    else printReport(report, io);
    return 0;
  });
}

export const purgeCommand: Command = {
  summary: 'destroy what is past retention (--dry-run lists it); --receipts',
  usage: PURGE_USAGE,
  options: [
    ['--dry-run', 'list who would be destroyed; change nothing'],
    ['--now <time>', 'evaluate at this RFC 3339 time (only --dry-run may look ahead)'],
    ['--max <n>', 'destroy at most n people this run (default 10000)'],
    ['--receipts', 'list the signed deletion receipts and check each signature'],
    ['--limit <n>', '--receipts: at most n (default 100)'],
    ['--json', 'JSON output'],
  ],
  run: runPurge,
};
