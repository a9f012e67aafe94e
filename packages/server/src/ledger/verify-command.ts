import { verifyAuditChain } from '../access/audit-command.js';
import { runVerifyBundle, wantsBundle } from '../bundle/verify-bundle-command.js';
import { type Command, withServer } from '../cli/command.js';
import { createProgressBar, progressSink } from '../cli/progress.js';
import { verifyLedger } from './verify-ledger.js';

/** `consentkit verify`: the ledger walk and the audit chain; `--bundle FILE` checks a person's export offline. */
export const verifyCommand: Command = {
  summary: 'walk the ledger (chain, signatures, receipts, checkpoints) and the audit chain; exit 1 on any fault',
  usage: 'consentkit verify [--signatures]\nconsentkit verify --bundle <export.jws> [--jwks <url|file>]',
  options: [
    ['--signatures', 'also re-verify every record signature, signer chain and receipt (far slower)'],
    ['--bundle <file>', "check a person's signed export offline instead of the ledger"],
    ['--jwks <url|file>', '--bundle: the ledger keys to trust (its /.well-known/jwks.json)'],
  ],
  offline: wantsBundle,
  async run(argv, io) {
    if (wantsBundle(argv)) return runVerifyBundle(argv, io);
    const signatures = argv.includes('--signatures');
    return withServer(
      argv.filter((a) => a !== '--signatures'),
      async ({ context }) => {
        const started = Date.now();
        const bar = createProgressBar(signatures ? 'verifying (signatures)' : 'verifying', progressSink(io));
        let shown = { done: 0, total: 0 };
        const result = await verifyLedger({
          store: context.store,
          ledger: context.ledger,
          keys: await context.keyring.publicJwks(),
          signatures,
          onProgress: (done, total) => {
            shown = { done, total };
            bar.update(done, total);
          },
        });
        if (shown.total > 0) bar.finish(shown.done, shown.total);
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        if (result.ok) {
          io.out(
            `ok: ${result.count} entries, ${result.checkpoints} checkpoints, head ${result.headSeq}` +
              ` (${signatures ? 'chain, receipts and every signature' : 'chain, checkpoints and receipts'}; ${seconds} s)`,
          );
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
