import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { recordAudit } from '../access/audit-log.js';
import { CliUsageError, requiredValue, splitArgs } from '../cli/args.js';
import { type Command, cliActor, type Io, withServer } from '../cli/command.js';
import { createProgressBar, progressSink } from '../cli/progress.js';
import { createFeedCursorCodec } from './feed-cursor.js';
import { type FeedChange, readFeedPage } from './suppression-feed.js';

const CSV_COLUMNS = ['seq', 'change', 'email', 'email_sha256', 'status', 'reason', 'record_id', 'at'] as const;

/** RFC 4180 quoting, and a leading quote for cells a spreadsheet would run as a formula. */
function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function lineOf(change: FeedChange, format: 'csv' | 'ndjson'): string {
  if (format === 'ndjson') return JSON.stringify(change);
  return [
    change.seq,
    change.change,
    change.email,
    change.emailSha256,
    change.status,
    change.reason,
    change.recordId,
    change.at,
  ]
    .map(csvCell)
    .join(',');
}

/**
 * `consentkit suppressions export --purpose <p> [--since CURSOR] [--format csv|ndjson] [--out FILE]`:
 * the suppression feed (GET /v1/senders/suppressions) from the console, addresses in clear (the
 * operator holds the master key). The last line on stderr is the cursor to resume from; the export
 * is one audit entry with its count.
 */
export const suppressionsCommand: Command = {
  summary: 'export the suppression feed of a purpose (who may no longer be mailed, who may again)',
  usage:
    'consentkit suppressions export --purpose <purpose-id> [--since CURSOR] [--format csv|ndjson] [--out FILE] [config flags]',
  async run(argv: readonly string[], io: Io) {
    const { positionals, options, rest } = splitArgs(argv, {
      purpose: 'value',
      since: 'value',
      format: 'value',
      out: 'value',
    });
    if (positionals[0] !== 'export')
      throw new CliUsageError('say what to do: consentkit suppressions export --purpose <p>');
    const purpose = requiredValue(options.purpose, '--purpose');
    const format = options.format === undefined ? 'csv' : options.format;
    if (format !== 'csv' && format !== 'ndjson') throw new CliUsageError('--format is csv or ndjson');
    const since = typeof options.since === 'string' ? options.since : undefined;
    return withServer(rest, async ({ context }) => {
      const cursors = createFeedCursorCodec(context.keyring.csrfKey);
      const file = typeof options.out === 'string' ? createWriteStream(options.out) : undefined;
      // The bar goes to the person's terminal, and only when the data does not go to that terminal too.
      const bar = createProgressBar('exporting', file ? progressSink(io) : undefined);
      const write = async (line: string) => {
        if (!file) io.out(line);
        else if (!file.write(`${line}\n`)) await once(file, 'drain');
      };
      if (format === 'csv') await write(CSV_COLUMNS.join(','));
      let cursor = since;
      let count = 0;
      let position = 0;
      let head = 0;
      for (;;) {
        const page = await readFeedPage(
          context.store,
          { keyring: context.keyring, policy: context.policies.current, cursors },
          { purpose, cursor, identifiers: 'email', limit: 2000 },
        );
        for (const change of page.changes) await write(lineOf(change, format));
        count += page.changes.length;
        cursor = page.cursor;
        position = page.position;
        head = page.head;
        bar.update(position, head);
        if (!page.more) break;
      }
      if (file) {
        await new Promise<void>((resolve, reject) =>
          file.end((error?: Error | null) => (error ? reject(error) : resolve())),
        );
      }
      bar.finish(position, head);
      await recordAudit(context.store, {
        actor: cliActor(),
        action: 'senders.suppressions',
        target: null,
        ip: null,
        detail: { purpose, changes: count, identifiers: 'email', position },
      });
      io.err(`exported ${count} changes for ${purpose}; resume with --since ${cursor ?? ''}`);
      return 0;
    });
  },
};
