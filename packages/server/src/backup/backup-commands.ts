import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { splitArgs } from '../cli/args.js';
import { type Command, currentRunningServer, type Io, userPath, withServer } from '../cli/command.js';
import { createProgressBar, progressSink } from '../cli/progress.js';
import { migrate } from '../platform/store/migrate.js';
import { openStore } from '../platform/store/open-store.js';
import { loadConfig, resolveMasterKey } from '../runtime/config.js';
import { exportBackup } from './export.js';
import { importBackup } from './import.js';

async function runExport(argv: readonly string[], io: Io): Promise<number> {
  const { options, rest } = splitArgs(argv, { out: 'value' });
  return withServer(rest, async ({ context }) => {
    const file = typeof options.out === 'string' ? createWriteStream(userPath(io, options.out)) : undefined;
    // The bar shares the terminal with the data only when the data goes to a file.
    const bar = createProgressBar('exporting', file ? progressSink(io) : undefined);
    let done = 0;
    let total = 0;
    const lines = exportBackup({
      store: context.store,
      ledger: context.ledger,
      onProgress: (d, t) => {
        done = d;
        total = t;
        bar.update(d, t);
      },
    });
    for await (const line of lines) {
      if (file) {
        if (!file.write(line)) await once(file, 'drain');
      } else io.out(line.trimEnd());
    }
    if (file) {
      await new Promise<void>((resolve, reject) =>
        file.end((error?: Error | null) => (error ? reject(error) : resolve())),
      );
      bar.finish(done, total);
      io.err(`exported ${done} rows to ${options.out}`);
    }
    return 0;
  });
}

/**
 * A file's lines, read as they are consumed. The readline interface is made on the first read:
 * one made earlier emits lines while the caller awaits other work, and its iterator then misses them.
 */
async function* linesOf(path: string): AsyncGenerator<string> {
  const input = createReadStream(path, { encoding: 'utf8' });
  try {
    yield* createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  } finally {
    input.destroy();
  }
}

async function runImport(argv: readonly string[], io: Io): Promise<number> {
  const { positionals, options, rest } = splitArgs(argv, { 'keep-unverifiable': 'boolean' });
  const path = positionals[0];
  if (path === undefined) {
    io.err('consentkit import: name the backup file (consentkit import FILE)');
    return 2;
  }
  if (!existsSync(userPath(io, path))) {
    io.err(`consentkit import: no such file ${path}`);
    return 2;
  }
  if (currentRunningServer()) {
    // The running server holds the ledger's keys in memory; an import replaces them underneath it.
    io.err(
      'consentkit import: the server is running on this ledger. Import restores into an empty ledger only: ' +
        'stop the server first, or import into a new folder (--data-dir) and start the server there.',
    );
    return 1;
  }
  const config = loadConfig({ argv: rest });
  // The store only: opening a full server would make fresh ledger keys the backup then replaces.
  const store = await openStore(config);
  try {
    await migrate(store);
    const bar = createProgressBar('importing', progressSink(io));
    let done = 0;
    let total = 0;
    const result = await importBackup({
      store,
      masterKey: resolveMasterKey(config).key,
      lines: linesOf(userPath(io, path)),
      keepUnverifiable: options['keep-unverifiable'] === true,
      onProgress: (d, t) => {
        done = d;
        total = t;
        bar.update(d, t);
      },
    });
    bar.finish(done, total);
    if (!result.ok) {
      io.err(`REFUSED${result.line === undefined ? '' : ` (line ${result.line})`}: ${result.reason}`);
      io.err('nothing was imported');
      return 1;
    }
    const c = result.counts;
    io.out(
      `ok: imported ${c.entry ?? 0} entries (head ${result.ledgerHead}), ${c.subject ?? 0} subjects, ` +
        `${c.opening ?? 0} openings, ${c.checkpoint ?? 0} checkpoints, ${c.audit ?? 0} audit entries, ` +
        `${c['purge-receipt'] ?? 0} deletion receipts, ${c.partner ?? 0} partners, ` +
        `${c['partner-delivery'] ?? 0} partner deliveries; every chain and receipt verified`,
    );
    // Said plainly: these were restored as they were, and still cannot serve as proof.
    for (const u of result.unverifiable) {
      io.err(`kept unverifiable entry ${u.seq} (record ${u.recordId}) as it was: ${u.reason}`);
    }
    if (result.unverifiable.length > 0) {
      io.err(
        `--keep-unverifiable: kept ${result.unverifiable.length} entries the strict decoder refuses; consentkit verify keeps reporting them`,
      );
    }
    return 0;
  } finally {
    await store.close();
  }
}

export const exportCommand: Command = {
  summary: 'write a full backup as NDJSON (stdout or --out file; a progress bar on a terminal)',
  usage: 'consentkit export [--out <file>]',
  options: [['--out <file>', 'write to this file (a progress bar on a terminal); default stdout']],
  run: runExport,
};

export const importCommand: Command = {
  summary: 'restore a backup into an empty ledger, verifying every chain before committing anything',
  usage: 'consentkit import <file> [--keep-unverifiable]',
  options: [
    ['<file>', 'a backup written by consentkit export; the ledger must be empty, the server stopped'],
    [
      '--keep-unverifiable',
      'keep entries whose record the strict decoder refuses (listed), instead of refusing the backup',
    ],
    ['--master-key <key>', 'the CONSENTKIT_MASTER_KEY of the ledger that wrote the backup'],
  ],
  run: runImport,
};
