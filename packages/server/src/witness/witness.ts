import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { noteSignedBy, parseCheckpointNote, parseVerifierKey } from '../ledger/checkpoint-note.js';
import { checkConsistencyProof } from '../ledger/proof-check.js';
import { type Cosigner, cosign, cosignerFromPem, cosignerVerifierKey } from './cosignature.js';
import { WitnessError } from './witness-error.js';

/**
 * A witness of one transparency log (R72): it keeps the last checkpoint it cosigned, refuses one
 * that does not extend it (a truncation, or a fork: another history re-signed with the log's own
 * key), and cosigns the ones that do, as C2SP tlog-witness and tlog-cosignature describe. Its state
 * is a folder, on another machine than the ledger's:
 *
 *   witness.json    its name and the log it keeps (the log's checkpoint verifier key)
 *   witness.key     its Ed25519 key (PKCS#8 PEM, mode 0600)
 *   latest.cp       the last checkpoint it cosigned, its cosignature appended
 *   cosigned/       every checkpoint it cosigned, one file per size, never rewritten
 *   refused/        every checkpoint it refused that the log did sign: evidence of a fork or a cut
 *
 * One process per folder: adds are serialised here, and `latest.cp` is replaced by a rename.
 */
export type WitnessConfig = { readonly name: string; readonly logKey: string };

export type AddCheckpoint = {
  /** The size the submitter believes this witness last cosigned (0: never). */
  readonly oldSize: number;
  /** The RFC 9162 consistency proof from `oldSize` to the checkpoint's size. */
  readonly proof: readonly Uint8Array[];
  /** The signed checkpoint note. */
  readonly note: string;
};

export type Witness = {
  readonly name: string;
  /** The witness's verifier key (C2SP vkey, type 0x04): what an auditor checks cosignatures with. */
  readonly verifierKey: string;
  readonly logOrigin: string;
  /** The last checkpoint cosigned (with its cosignature), or undefined before the first. */
  latest(): { readonly size: number; readonly root: Buffer; readonly note: string } | undefined;
  /** Checks and cosigns a checkpoint: the cosignature line; throws WitnessError when it is refused. */
  add(request: AddCheckpoint): Promise<string>;
};

const CONFIG = 'witness.json';
const KEY = 'witness.key';
const LATEST = 'latest.cp';
const sizeName = (size: number) => String(size).padStart(16, '0');

/** Makes a witness folder: a new key, the log it keeps. Refuses a folder that already holds one. */
export function initWitness(dir: string, config: WitnessConfig): string {
  const logKey = parseVerifierKey(config.logKey);
  if ('reason' in logKey) throw new WitnessError(400, `--log-key: ${logKey.reason}`);
  if (!/^[^\s+]+$/.test(config.name))
    throw new WitnessError(
      400,
      `the witness name "${config.name}" must be one word with no "+" (e.g. witness.example/w1)`,
    );
  if (existsSync(join(dir, CONFIG))) throw new WitnessError(400, `${dir} already holds a witness (${CONFIG})`);
  mkdirSync(dir, { recursive: true });
  const { privateKey } = generateKeyPairSync('ed25519');
  writeFileSync(join(dir, KEY), privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  chmodSync(join(dir, KEY), 0o600);
  writeFileSync(join(dir, CONFIG), `${JSON.stringify({ name: config.name, logKey: config.logKey.trim() }, null, 2)}\n`);
  return openWitness(dir).verifierKey;
}

/** Opens a witness folder made by initWitness. */
export function openWitness(dir: string, options: { readonly now?: () => number } = {}): Witness {
  if (!existsSync(join(dir, CONFIG)))
    throw new WitnessError(400, `${dir} holds no witness: make one with consentkit witness init --dir ${dir}`);
  const config = JSON.parse(readFileSync(join(dir, CONFIG), 'utf8')) as WitnessConfig;
  const parsedKey = parseVerifierKey(config.logKey);
  if ('reason' in parsedKey) throw new WitnessError(400, `${join(dir, CONFIG)}: ${parsedKey.reason}`);
  const logKey = parsedKey;
  const cosigner: Cosigner = cosignerFromPem(config.name, readFileSync(join(dir, KEY), 'utf8'));
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));

  function latest() {
    const path = join(dir, LATEST);
    if (!existsSync(path)) return undefined;
    const note = readFileSync(path, 'utf8');
    const parsed = parseCheckpointNote(note);
    if ('reason' in parsed) throw new WitnessError(400, `${path}: ${parsed.reason}`);
    return { size: parsed.size, root: parsed.root, note };
  }

  /**
   * Keeps a signed checkpoint the witness refused: the log signed it, so it proves what the log
   * did. One file per size and root, so a replayed refusal (anyone may post one) adds nothing.
   */
  function keepRefused(note: string, size: number, root: Buffer) {
    mkdirSync(join(dir, 'refused'), { recursive: true });
    const path = join(dir, 'refused', `${sizeName(size)}-${root.toString('base64url')}.cp`);
    if (!existsSync(path)) writeFileSync(path, note);
  }

  function check(request: AddCheckpoint): string {
    const parsed = parseCheckpointNote(request.note);
    if ('reason' in parsed) throw new WitnessError(400, `not a checkpoint: ${parsed.reason}`);
    if (parsed.origin !== logKey.name)
      throw new WitnessError(404, `this witness keeps the log "${logKey.name}", not "${parsed.origin}"`);
    if (!noteSignedBy(parsed, logKey.name, logKey.publicKey))
      throw new WitnessError(403, `the checkpoint for ${parsed.size} entries is not signed by the log's key`);
    const seen = latest();
    const seenSize = seen?.size ?? 0;
    if (seen && parsed.size < seen.size) {
      keepRefused(request.note, parsed.size, parsed.root);
      throw new WitnessError(
        409,
        `truncation: the checkpoint is for ${parsed.size} entries, but this witness cosigned ${seen.size} entries of ${parsed.origin} (root ${seen.root.toString('base64')}); entries ${parsed.size + 1} to ${seen.size} are gone`,
        seen.size,
      );
    }
    if (request.oldSize > parsed.size)
      throw new WitnessError(400, `old size ${request.oldSize} is larger than the checkpoint's ${parsed.size}`);
    if (request.oldSize !== seenSize)
      throw new WitnessError(
        409,
        `this witness last cosigned ${seenSize} entries, not ${request.oldSize}: send a proof from ${seenSize}`,
        seenSize,
      );
    if (seen && parsed.size === seen.size && !parsed.root.equals(seen.root)) {
      keepRefused(request.note, parsed.size, parsed.root);
      throw new WitnessError(
        409,
        `fork: the checkpoint for ${parsed.size} entries has root ${parsed.root.toString('base64')}, this witness cosigned root ${seen.root.toString('base64')} for the same size`,
        seen.size,
      );
    }
    if (seen && !checkConsistencyProof(seen.size, parsed.size, request.proof, seen.root, parsed.root)) {
      keepRefused(request.note, parsed.size, parsed.root);
      throw new WitnessError(
        422,
        `fork: the checkpoint for ${parsed.size} entries (root ${parsed.root.toString('base64')}) does not extend the ${seen.size} entries this witness cosigned (root ${seen.root.toString('base64')}): the consistency proof does not verify, so history up to entry ${seen.size} differs`,
      );
    }
    const line = cosign(cosigner, parsed.text, now());
    // Only the log's own signatures travel on: a submitter's other lines are not ours to repeat.
    const logLines = request.note
      .slice(parsed.text.length + 1)
      .split('\n')
      .filter((l) => l.startsWith(`\u2014 ${logKey.name} `))
      .map((l) => `${l}\n`)
      .join('');
    const cosigned = `${parsed.text}\n${logLines}${line}`;
    mkdirSync(join(dir, 'cosigned'), { recursive: true });
    const kept = join(dir, 'cosigned', `${sizeName(parsed.size)}.cp`);
    if (!existsSync(kept)) writeFileSync(kept, cosigned, { flag: 'wx' });
    const temp = join(dir, `${LATEST}.${process.pid}.tmp`);
    writeFileSync(temp, cosigned);
    renameSync(temp, join(dir, LATEST));
    return line;
  }

  // tlog-witness: checking the old size and storing the new checkpoint happen as one step.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    name: config.name,
    verifierKey: cosignerVerifierKey(config.name, cosigner.publicKey),
    logOrigin: logKey.name,
    latest,
    add(request) {
      const next = queue.then(() => check(request));
      queue = next.catch(() => {});
      return next;
    },
  };
}
