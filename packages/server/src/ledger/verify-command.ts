import { existsSync, readFileSync } from 'node:fs';
import { verifyAuditChain } from '../access/audit-command.js';
import { runVerifyBundle, wantsBundle } from '../bundle/verify-bundle-command.js';
import { splitArgs } from '../cli/args.js';
import { type Command, currentRunningServer, withServer } from '../cli/command.js';
import { createProgressBar, progressSink } from '../cli/progress.js';
import { loadConfig } from '../runtime/config.js';
import { openCheckpointNote } from './checkpoint-note.js';
import { verifyLedger } from './verify-ledger.js';

/** `consentkit verify`: the ledger walk and the audit chain; `--bundle FILE` checks a person's export offline. */
export const verifyCommand: Command = {
  summary:
    'walk the ledger (chain, Merkle tree, signed head, receipts, checkpoints), hold the subject histories to it, and the audit chain; exit 1 on any fault',
  usage:
    'consentkit verify [--signatures] [--since FILE] [--timings]\nconsentkit verify --bundle <export.jws> [--jwks <url|file>] [--log-key <key>]',
  options: [
    ['--signatures', 'also re-verify every record signature, signer chain and receipt (far slower)'],
    [
      '--timings',
      'also print, last, one line "timings: {…}": the wall seconds of each part of the run, as JSON (start: this process starting, unless a running server runs the command; open, prepare, ranges-first, ranges, pages, head, histories, audit)',
    ],
    [
      '--since <file>',
      'also prove the ledger extends a checkpoint saved earlier (consentkit checkpoint --out FILE): catches a truncation, fork or rewrite even when the head was re-signed',
    ],
    ['--bundle <file>', "check a person's signed export offline instead of the ledger"],
    ['--jwks <url|file>', '--bundle: the ledger keys to trust (its /.well-known/jwks.json)'],
    ['--log-key <key>', "--bundle: the log's checkpoint verifier key to trust (its /v1/log/key)"],
  ],
  offline: wantsBundle,
  async run(argv, io) {
    if (wantsBundle(argv)) return runVerifyBundle(argv, io);
    // Seconds since the process started (Node, module loading), read before anything of ours
    // runs; none when a listening server runs the command (its process started long before).
    const startSeconds = currentRunningServer() ? undefined : process.uptime();
    const runStarted = performance.now();
    const { options, rest } = splitArgs(argv, { signatures: 'boolean', since: 'value', timings: 'boolean' });
    const signatures = options.signatures === true;
    // Each part's wall seconds, in the order they ran; printed as one JSON line when asked for.
    const timings: Record<string, number> = startSeconds === undefined ? {} : { start: startSeconds };
    let partStarted = runStarted;
    const endPart = (part: string) => {
      const now = performance.now();
      timings[part] = (timings[part] ?? 0) + (now - partStarted) / 1000;
      partStarted = now;
    };
    const withTimings = (code: number) => {
      if (options.timings === true) {
        const rounded = Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v * 1000) / 1000]));
        io.out(`timings: ${JSON.stringify(rounded)}`);
      }
      return code;
    };
    let savedNote: string | undefined;
    if (typeof options.since === 'string') {
      if (!existsSync(options.since)) {
        io.err(`--since: no such file ${options.since} (save one with consentkit checkpoint --out FILE)`);
        return 2;
      }
      savedNote = readFileSync(options.since, 'utf8');
    }
    return withServer(rest, async ({ context }) => {
      const checkpointKeys = await context.keyring.checkpointKeys();
      let since: { origin: string; size: number; root: Buffer } | undefined;
      if (savedNote !== undefined) {
        const opened = openCheckpointNote(savedNote, checkpointKeys);
        if ('reason' in opened) {
          io.err(`FAULT in the saved checkpoint ${options.since}: ${opened.reason}`);
          return 1;
        }
        const origin = (await context.store.query<{ origin: string | null }>('SELECT origin FROM ledger_head'))[0]
          ?.origin;
        if (opened.origin !== origin) {
          io.err(`FAULT: the saved checkpoint is of the log "${opened.origin}", this ledger is "${origin}"`);
          return 1;
        }
        since = opened;
      }
      // On PostgreSQL the walk's workers open connections of their own (the URL this command was
      // configured with); inside a running server, or on PGlite, the walk reads every row itself.
      const databaseUrl =
        context.store.kind === 'postgres' && !currentRunningServer()
          ? loadConfig({ argv: rest }).databaseUrl
          : undefined;
      endPart('open');
      const started = Date.now();
      const bar = createProgressBar(signatures ? 'verifying (signatures)' : 'verifying', progressSink(io));
      let shown = { done: 0, total: 0 };
      const result = await verifyLedger({
        store: context.store,
        ledger: context.ledger,
        keys: await context.keyring.publicJwks(),
        checkpointKeys,
        signatures,
        ...(since ? { since } : {}),
        ...(databaseUrl ? { databaseUrl } : {}),
        onRangesUnavailable: (reason) =>
          io.err(`note: the range workers could not be used (${reason}); every entry is read on one thread, slower`),
        onProgress: (done, total) => {
          shown = { done, total };
          bar.update(done, total);
        },
        onPhase: (phase) => endPart(phase),
      });
      if (shown.total > 0) bar.finish(shown.done, shown.total);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (result.ok) {
        io.out(
          `ok: ${result.count} entries, ${result.checkpoints} checkpoints, head ${result.headSeq}, root ${result.root}` +
            ` (${signatures ? 'chain, tree, receipts and every signature' : 'chain, tree, checkpoints and receipts'}; ${seconds} s)`,
        );
        if (since) io.out(`ok: extends the saved checkpoint of ${since.size} entries`);
        if (result.histories) {
          io.out(
            result.histories.ahead
              ? 'ok: the subject histories are ahead of the ledger and are rebuilt before any answer (not checked)'
              : `ok: ${result.histories.people} subject histories match the entries up to entry ${result.histories.upTo}`,
          );
        }
        const audit = await verifyAuditChain(context.store, io);
        endPart('audit');
        // The chain holds, but these records cannot serve as proof: exports and imports refuse them.
        for (const u of result.unverifiable) {
          io.err(`UNVERIFIABLE entry ${u.seq} (record ${u.recordId}): the strict decoder refuses it: ${u.reason}`);
        }
        if (result.unverifiable.length > 0) {
          io.err(
            `${result.unverifiable.length} stored entr${result.unverifiable.length === 1 ? 'y is' : 'ies are'} unverifiable; see docs/errors.md#unverifiable-entry`,
          );
          return withTimings(1);
        }
        return withTimings(audit);
      }
      if (result.histories) {
        // The entries hold; rows derived from them do not. Each is named by its person's ref.
        io.out(`ok: ${result.count} entries (chain, tree, checkpoints and receipts; ${seconds} s)`);
        io.err(`FAULT in the subject histories: ${result.reason}`);
        for (const f of result.histories.faults) {
          io.err(
            `FAULT in the history of subject ${f.subjectRef}${f.seq === null ? '' : ` at entry ${f.seq}`} (${f.kind}): ${f.reason}`,
          );
        }
        if (result.histories.more > 0) io.err(`… and ${result.histories.more} more rows`);
        io.err('rebuild them from the entries: see docs/security.md#subject-histories');
        return withTimings(1);
      }
      io.err(`FAULT at entry ${result.seq}${result.recordId ? ` (record ${result.recordId})` : ''}: ${result.reason}`);
      io.err(`${result.count} entries before it verified`);
      return withTimings(1);
    });
  },
};
