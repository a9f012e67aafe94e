import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ServerError } from '../server-error.js';

/**
 * The embedded store's one-process rule. PGlite keeps a whole PostgreSQL in one process's memory
 * and writes its folder as if it were alone: a second process on the same folder reads stale pages
 * and overwrites the first one's writes (that is how an erasure that reported success was lost).
 * So whoever opens the folder first holds `consentkit.lock` in it (created with O_EXCL, mode 0600)
 * until it closes the store, and anyone else refuses at once with this error.
 *
 * A listening server also writes into the lock where its local command socket is and the token
 * that opens it: `consentkit` then runs its commands through the server instead of opening the
 * folder (cli/cli-bridge.ts). The file is as secret as `master.key` beside it, and as readable.
 */
export class DataDirLockedError extends ServerError<'data-dir-locked'> {
  override readonly name = 'DataDirLockedError';
  constructor(detail: string, hint: string) {
    super('data-dir-locked', detail, { hint });
  }
}

export const LOCK_FILE = 'consentkit.lock';

/** What the lock file says about its holder. */
export type LockHolder = {
  readonly pid: number;
  /** `server`: a listening server (it runs commands for the CLI); `process`: anything else. */
  readonly role: 'server' | 'process';
  readonly since: string;
  /** A listening server's URL, for the refusal message. */
  readonly url?: string;
  /** A listening server's command socket and the token it wants (cli/cli-bridge.ts). */
  readonly socket?: string;
  readonly token?: string;
};

export type DataDirLock = {
  readonly dir: string;
  /** Rewrites the holder's details (a server once listening); the lock stays ours throughout. */
  advertise(details: Pick<LockHolder, 'url' | 'socket' | 'token'>): void;
  release(): void;
};

// Folders this process holds: a second open from the same process must refuse too (two PGlite
// instances on one folder corrupt it as surely as two processes), and a lock file naming our own
// pid that is not in here is a stale one left by an earlier process that had the same pid.
const held = new Set<string>();

function alive(pid: number): boolean {
  if (pid === process.pid) return false; // ours only if `held` says so (checked before)
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The current holder of the folder's lock, or undefined when it is free or stale. */
export function readLockHolder(dir: string): LockHolder | undefined {
  const path = join(resolve(dir), LOCK_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  let holder: LockHolder;
  try {
    holder = JSON.parse(text) as LockHolder;
  } catch {
    return undefined; // not ours to read as a lock (it is always written whole)
  }
  if (typeof holder.pid !== 'number') return undefined;
  if (holder.pid === process.pid && held.has(resolve(dir))) return holder;
  return alive(holder.pid) ? holder : undefined;
}

function write(path: string, holder: LockHolder): void {
  // Write beside, then rename over: a reader never sees a half-written file.
  const tmp = `${path}.${randomBytes(6).toString('hex')}`;
  writeFileSync(tmp, `${JSON.stringify(holder)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}

function refusal(dir: string, holder: LockHolder): DataDirLockedError {
  const who =
    holder.pid === process.pid
      ? 'this process already has it open'
      : holder.role === 'server'
        ? `the consentkit server (pid ${holder.pid}${holder.url ? `, ${holder.url}` : ''}) has it open since ${holder.since}`
        : `process ${holder.pid} has it open since ${holder.since}`;
  return new DataDirLockedError(
    `the embedded ledger in ${dir} is in use: ${who}`,
    'The embedded store (PGlite) allows one process per data folder. Run consentkit commands while the ' +
      'server runs (they go through it), stop the other process first, or point --data-dir at another folder.',
  );
}

/** Takes the folder's lock, or throws DataDirLockedError naming the holder. */
export function lockDataDir(dir: string): DataDirLock {
  const abs = resolve(dir);
  const path = join(abs, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = readLockHolder(abs);
    if (current) throw refusal(abs, current);
    const since = new Date().toISOString();
    // Written whole beside, then hard-linked into place: link() fails if the name exists, so taking
    // the lock is atomic and nobody ever reads a half-written lock file.
    const tmp = `${path}.${randomBytes(6).toString('hex')}`;
    writeFileSync(tmp, `${JSON.stringify({ pid: process.pid, role: 'process', since })}\n`, { mode: 0o600 });
    try {
      linkSync(tmp, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A lock file whose holder is gone (killed, crashed): remove it and try again. If another
      // process took the folder meanwhile, the next read finds it alive and refuses.
      if (!readLockHolder(abs)) rmSync(path, { force: true });
      continue;
    } finally {
      rmSync(tmp, { force: true });
    }
    held.add(abs);
    let base: LockHolder = { pid: process.pid, role: 'process', since };
    return {
      dir: abs,
      advertise(details) {
        base = { ...base, role: 'server', ...details };
        write(path, base);
      },
      release() {
        if (!held.delete(abs)) return;
        // Only our own lock: never a file another process wrote after a stale takeover.
        try {
          const holder = JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
          if (holder.pid === process.pid) rmSync(path, { force: true });
        } catch {
          // already gone
        }
      },
    };
  }
  throw new DataDirLockedError(
    `could not take the lock on the embedded ledger in ${abs}`,
    `Another process keeps taking it; if none should, remove ${path}.`,
  );
}
