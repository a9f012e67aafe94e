import { auditCliRead } from '../access/audit-command.js';
import { requiredValue, splitArgs } from '../cli/args.js';
import { type Command, cliActor, withServer } from '../cli/command.js';
import { eraseSubject } from './erasure.js';
import { blindIndexOf, findSubjectByIndex } from './subject-lookup.js';

/** `consentkit state --email <address>`: per-purpose state, audited as a read by `cli:<os user>`. */
export const stateCommand: Command = {
  summary: 'per-purpose consent state for an address',
  usage: 'consentkit state --email <address> [config flags]',
  async run(argv, io) {
    const { options, rest } = splitArgs(argv, { email: 'value' });
    const email = requiredValue(options.email, '--email');
    return withServer(rest, async ({ context }) => {
      const subject = await findSubjectByIndex(context.store, await blindIndexOf(context.keyring, 'email', email));
      if (!subject) {
        io.err('no records for that address');
        return 1;
      }
      const state = await context.subjects.state(subject.ref);
      await auditCliRead(context.store, subject.ref);
      io.out(JSON.stringify({ subject: subject.ref, state }, null, 2));
      return 0;
    });
  },
};

/** `consentkit erase --email <address>`: crypto-shredding of one person (subjects/erasure.ts). */
export const eraseCommand: Command = {
  summary: 'erase a person: data key, openings, blind index (the ledger still verifies)',
  usage: 'consentkit erase --email <address> [config flags]',
  async run(argv, io) {
    const { options, rest } = splitArgs(argv, { email: 'value' });
    const email = requiredValue(options.email, '--email');
    return withServer(rest, async ({ context }) => {
      const subject = await findSubjectByIndex(context.store, await blindIndexOf(context.keyring, 'email', email));
      const erased = subject
        ? await eraseSubject(context.ledger, { subjectRef: subject.ref, actor: cliActor(), ip: null })
        : undefined;
      if (!erased) {
        io.err('no subject for that address (never known, or already erased)');
        return 1;
      }
      io.out(
        `erased subject ${erased.subjectRef}: ${erased.openings} openings, ${erased.commitments} commitment links, ` +
          `${erased.dataKeys} data key; audit entry ${erased.auditSeq}`,
      );
      return 0;
    });
  },
};
