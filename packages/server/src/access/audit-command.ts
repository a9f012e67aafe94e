import { CliUsageError, splitArgs } from '../cli/args.js';
import { type Command, cliActor, type Io, withServer } from '../cli/command.js';
import type { Store } from '../platform/store/store.js';
import { listAudit, recordAudit, verifyAudit } from './audit-log.js';

/** `consentkit audit [--json] [--after <seq>] [--limit <n>]`: the audit trail, oldest first. */
export const auditCommand: Command = {
  summary: 'list the audit trail (reads of personal data, admin actions)',
  usage: 'consentkit audit [--json] [--after <seq>] [--limit <n>]',
  options: [
    ['--json', 'one JSON object per line'],
    ['--after <seq>', 'only entries after this audit seq (default 0)'],
    ['--limit <n>', 'at most n entries (default 1000)'],
  ],
  async run(argv, io) {
    const { options, rest } = splitArgs(argv, { json: 'boolean', after: 'value', limit: 'value' });
    const number = (value: string | true | undefined, fallback: number) => {
      const n = typeof value === 'string' ? Number(value) : fallback;
      if (!Number.isSafeInteger(n) || n < 0) throw new CliUsageError('--after and --limit take a whole number');
      return n;
    };
    return withServer(rest, async ({ context }) => {
      const entries = await listAudit(context.store, {
        afterSeq: number(options.after, 0),
        limit: number(options.limit, 1000),
      });
      for (const e of entries) {
        if (options.json) io.out(JSON.stringify(e));
        else {
          const detail = Object.keys(e.detail).length > 0 ? ` ${JSON.stringify(e.detail)}` : '';
          io.out(`${e.seq}  ${e.at}  ${e.actor}  ${e.action}  ${e.target ?? '-'}  ${e.ip ?? '-'}${detail}`);
        }
      }
      if (!options.json && entries.length === 0) io.out('the audit trail is empty');
      return 0;
    });
  },
};

/** The audit half of `consentkit verify`: exit code 0 or 1, one line either way. */
export async function verifyAuditChain(store: Store, io: Io): Promise<number> {
  const result = await verifyAudit(store);
  if (result.ok) {
    io.out(`audit ok: ${result.count} entries`);
    return 0;
  }
  io.err(`AUDIT FAULT at audit entry ${result.seq ?? '?'}: ${result.reason}`);
  return 1;
}

/** Logs a console read of personal data (`consentkit state`). */
export function auditCliRead(store: Store, subjectRef: string): Promise<unknown> {
  return recordAudit(store, { actor: cliActor(), action: 'subject.state', target: subjectRef, ip: null });
}
