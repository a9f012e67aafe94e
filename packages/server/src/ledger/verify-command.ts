import { verifyAuditChain } from '../access/audit-command.js';
import { runVerifyBundle, wantsBundle } from '../bundle/verify-bundle-command.js';
import { type Command, withServer } from '../cli/command.js';
import { verifyLedger } from './verify-ledger.js';

/** `consentkit verify`: the ledger walk and the audit chain; `--bundle FILE` checks a person's export offline. */
export const verifyCommand: Command = {
  summary: 'walk the ledger (chain, signatures, receipts, checkpoints) and the audit chain; exit 1 on any fault',
  usage:
    'consentkit verify [--signatures] [config flags] | consentkit verify --bundle <export.jws> [--jwks <url|file>]\n' +
    '  --signatures  also re-verify every record signature, signer chain and receipt (slower)',
  offline: wantsBundle,
  async run(argv, io) {
    if (wantsBundle(argv)) return runVerifyBundle(argv, io);
    const signatures = argv.includes('--signatures');
    return withServer(
      argv.filter((a) => a !== '--signatures'),
      async ({ context }) => {
        const result = await verifyLedger({
          store: context.store,
          ledger: context.ledger,
          keys: await context.keyring.publicJwks(),
          signatures,
        });
        if (result.ok) {
          io.out(`ok: ${result.count} entries, ${result.checkpoints} checkpoints, head ${result.headSeq}`);
          return verifyAuditChain(context.store, io);
        }
        io.err(
          `FAULT at entry ${result.seq}${result.recordId ? ` (record ${result.recordId})` : ''}: ${result.reason}`,
        );
        io.err(`${result.count} entries before it verified`);
        return 1;
      },
    );
  },
};
