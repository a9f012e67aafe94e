import { writeFileSync } from 'node:fs';
import { splitArgs } from '../cli/args.js';
import { type Command, withServer } from '../cli/command.js';
import { verifierKey } from './checkpoint-note.js';
import { signedHeadOf } from './log-proofs.js';

/**
 * `consentkit checkpoint`: prints the signed checkpoint of the current head (C2SP
 * tlog-checkpoint) or saves it, for `verify --since` later or for an auditor or witness.
 */
export const checkpointCommand: Command = {
  summary: 'print or save the latest signed checkpoint (for verify --since, an auditor or a witness)',
  usage:
    'consentkit checkpoint [--out FILE] [--key] [config flags]\n' +
    '  --out FILE  write the checkpoint note to FILE instead of printing it\n' +
    '  --key       print the checkpoint verifier key (C2SP signed-note) instead',
  async run(argv, io) {
    const { options, rest } = splitArgs(argv, { out: 'value', key: 'boolean' });
    return withServer(rest, async ({ context }) => {
      const head = await signedHeadOf(context.store);
      if (options.key === true) {
        io.out(verifierKey(head.origin, context.keyring.checkpoint.publicKey));
        return 0;
      }
      if (typeof options.out === 'string') {
        writeFileSync(options.out, head.note, { mode: 0o644 });
        io.out(`saved the checkpoint of ${head.size} entries (${head.origin}) to ${options.out}`);
        return 0;
      }
      for (const line of head.note.replace(/\n$/, '').split('\n')) io.out(line);
      return 0;
    });
  },
};
