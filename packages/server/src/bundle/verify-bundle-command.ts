import { existsSync, readFileSync } from 'node:fs';
import { type PublicJwk, TransportError } from '@consentkit/core';
import { CliUsageError, splitArgs } from '../cli/args.js';
import { type Io, userPath } from '../cli/command.js';
import { verifySubjectBundle } from './bundle-verify.js';

type PinnedKey = PublicJwk & { kid?: string };

/** Whether `consentkit verify` was asked about a bundle file rather than the ledger. */
export const wantsBundle = (argv: readonly string[]) => argv.some((a) => a === '--bundle' || a.startsWith('--bundle='));

/** A JWKS from a URL (the ledger's /.well-known/jwks.json) or a file: the keys to trust. */
async function loadJwks(source: string): Promise<PinnedKey[]> {
  let text: string;
  if (/^https?:\/\//i.test(source)) {
    const response = await fetch(source, { headers: { accept: 'application/json' } });
    if (!response.ok)
      throw new TransportError(`--jwks ${source} answered HTTP ${response.status}`, { status: response.status });
    text = await response.text();
  } else {
    if (!existsSync(source)) throw new CliUsageError(`--jwks: no such file ${source} (pass a file or an https:// URL)`);
    text = readFileSync(source, 'utf8');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CliUsageError(`--jwks ${source} is not JSON`);
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new CliUsageError(`--jwks ${source} is not a JWKS (no "keys" array)`);
  return keys as PinnedKey[];
}

/**
 * `consentkit verify --bundle FILE [--jwks URL|FILE]`: checks a person's export offline (no
 * database, no master key). Exit 0 when everything holds, 1 on the first fault (named), 2 on usage.
 */
export async function runVerifyBundle(argv: readonly string[], io: Io): Promise<number> {
  const { options } = splitArgs(argv, { bundle: 'value', jwks: 'value', 'log-key': 'value' });
  const file = options.bundle;
  if (typeof file !== 'string' || file === '') {
    io.err('consentkit verify --bundle needs a file: consentkit verify --bundle export.jws [--jwks URL|FILE]');
    return 2;
  }
  const path = userPath(io, file);
  if (!existsSync(path)) {
    io.err(`consentkit verify: no such file ${file}`);
    return 2;
  }
  const jwks = options.jwks;
  const pinnedKeys =
    typeof jwks === 'string' ? await loadJwks(/^https?:\/\//i.test(jwks) ? jwks : userPath(io, jwks)) : undefined;
  const logKey = typeof options['log-key'] === 'string' ? options['log-key'] : undefined;
  const result = await verifySubjectBundle(readFileSync(path, 'utf8'), {
    ...(pinnedKeys ? { pinnedKeys } : {}),
    ...(logKey ? { logKey } : {}),
  });
  if (!result.ok) {
    io.err(`FAULT in ${result.where}: ${result.reason}`);
    return 1;
  }
  io.out(
    `ok: export of subject ${result.subject}, ${result.entries} records with their receipts, signed by ledger key ${result.signedBy}`,
  );
  io.out(
    result.pinned
      ? 'the ledger key is in the JWKS you pinned with --jwks'
      : 'note: the ledger key was taken from the bundle itself; pin it with --jwks https://<ledger>/.well-known/jwks.json',
  );
  const cp = result.checkpoint;
  if (!cp) {
    io.out('note: a format 1 bundle: it carries no inclusion proofs (export it again for them)');
    return 0;
  }
  io.out(
    `ok: every entry is proved in the checkpoint of ${cp.size} entries of ${cp.origin}, root ${cp.root.toString('base64')}` +
      ' (compare it with a witness’s or your own copy)',
  );
  if (!cp.keyPinned)
    io.out(
      'note: the checkpoint key was taken from the bundle; pin it with --log-key "$(curl https://<ledger>/v1/log/key)"',
    );
  return 0;
}
