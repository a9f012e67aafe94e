import type { ConsentState } from '@consentkit/core';
import { auditCliRead } from '../access/audit-command.js';
import { requiredValue, splitArgs } from '../cli/args.js';
import { type Command, cliActor, withServer } from '../cli/command.js';
import { countShreddable, eraseSubject } from './erasure.js';
import { blindIndexOf, findSubjectByIndex } from './subject-lookup.js';

/** A state as a table a person reads: one row per purpose. */
function stateTable(ref: string, state: ConsentState): string[] {
  const rows = Object.values(state).map((s) => [
    s.purpose,
    s.status,
    s.reason,
    s.basis,
    s.at ? `${s.at.slice(0, 19).replace('T', ' ')}Z` : '-',
    s.recordId ?? '-',
  ]);
  const head = ['purpose', 'status', 'reason', 'basis', 'since', 'record'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [`subject ${ref}`, line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/** `consentkit state --email <address>`: per-purpose state, audited as a read by `cli:<os user>`. */
export const stateCommand: Command = {
  summary: 'per-purpose consent state for an address',
  usage: 'consentkit state --email <address> [--json]',
  options: [
    ['--email <address>', 'the person, by email (found by its blind index; the read is audited)'],
    ['--json', 'print { subject, state } as JSON instead of a table'],
  ],
  async run(argv, io) {
    const { options, rest } = splitArgs(argv, { email: 'value', json: 'boolean' });
    const email = requiredValue(options.email, '--email');
    return withServer(rest, async ({ context }) => {
      const subject = await findSubjectByIndex(context.store, await blindIndexOf(context.keyring, 'email', email));
      if (!subject) {
        // Not a failure: an answer ("nobody by that address"), so scripts and pnpm see exit 0.
        if (options.json) io.out(JSON.stringify({ subject: null, state: null }, null, 2));
        else io.out('no records for that address (never known, or erased)');
        return 0;
      }
      const state = await context.subjects.state(subject.ref);
      await auditCliRead(context.store, subject.ref);
      if (options.json) io.out(JSON.stringify({ subject: subject.ref, state }, null, 2));
      else for (const line of stateTable(subject.ref, state)) io.out(line);
      return 0;
    });
  },
};

/** `consentkit erase --email <address>`: crypto-shredding of one person (subjects/erasure.ts). */
export const eraseCommand: Command = {
  summary: 'erase a person: data key, openings, blind index (the ledger still verifies)',
  usage: 'consentkit erase --email <address> [--yes | --dry-run] [--json]',
  options: [
    ['--email <address>', 'the person to erase, by email'],
    ['--dry-run', 'say what would be deleted; change nothing'],
    ['--yes', 'do not ask (scripts); without it erase asks on a terminal and refuses elsewhere'],
    ['--json', 'print the result as JSON'],
  ],
  async run(argv, io) {
    const { options, rest } = splitArgs(argv, {
      email: 'value',
      yes: 'boolean',
      'dry-run': 'boolean',
      json: 'boolean',
    });
    const email = requiredValue(options.email, '--email');
    const dryRun = options['dry-run'] === true;
    if (!dryRun && options.yes !== true && !io.terminal) {
      io.err(
        'consentkit erase: erasure cannot be undone. On a terminal it asks first; from a script pass --yes ' +
          '(or --dry-run to see what would be deleted).',
      );
      return 2;
    }
    return withServer(rest, async ({ context }) => {
      io.terminal?.write('looking up the address…');
      const subject = await findSubjectByIndex(context.store, await blindIndexOf(context.keyring, 'email', email));
      const counts = subject ? await countShreddable(context.store, subject.ref) : undefined;
      io.terminal?.write('\r\x1b[K');
      if (!subject || !counts) {
        if (options.json) io.out(JSON.stringify({ erased: false, subjectRef: null }, null, 2));
        else io.out('nothing to erase: no subject for that address (never known, or already erased)');
        return 0;
      }
      const what = `subject ${subject.ref}: ${counts.openings} openings, ${counts.commitments} commitment links, ${counts.dataKeys} data key`;
      if (dryRun) {
        if (options.json)
          io.out(JSON.stringify({ erased: false, dryRun: true, subjectRef: subject.ref, ...counts }, null, 2));
        else io.out(`dry run, nothing changed. Would erase ${what}`);
        return 0;
      }
      if (options.yes !== true && !(await io.terminal?.confirm(`Erase ${what}? This cannot be undone.`))) {
        io.err('not erased (not confirmed)');
        return 1;
      }
      io.terminal?.write('erasing…');
      const erased = await eraseSubject(context.ledger, { subjectRef: subject.ref, actor: cliActor(), ip: null });
      io.terminal?.write('\r\x1b[K');
      if (!erased) {
        // Erased by someone else between the look-up and now: the outcome the caller wanted.
        io.out('nothing to erase: the subject was erased meanwhile');
        return 0;
      }
      if (options.json) io.out(JSON.stringify({ erased: true, ...erased }, null, 2));
      else
        io.out(
          `erased subject ${erased.subjectRef}: ${erased.openings} openings, ${erased.commitments} commitment links, ` +
            `${erased.dataKeys} data key; audit entry ${erased.auditSeq}`,
        );
      return 0;
    });
  },
};
