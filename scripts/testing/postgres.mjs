// A throwaway PostgreSQL cluster for tests: initdb into a temp folder, run as the `postgres`
// user when we are root (initdb refuses root), listen on a free loopback port, and remove
// everything on stop. Nothing is left running or on disk afterwards.
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export function findPostgresBin() {
  const fromEnv = process.env.PG_BIN;
  if (fromEnv && existsSync(join(fromEnv, 'initdb'))) return fromEnv;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (existsSync(join(root, v, 'bin', 'initdb'))) return join(root, v, 'bin');
  }
  return undefined;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function uidOf(user) {
  try {
    return Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
  } catch {
    return undefined;
  }
}

/**
 * Starts a cluster and returns `{ url, stop }`. `url` points at the `postgres` database as the
 * `postgres` superuser (trust auth on loopback only).
 */
export async function startThrowawayPostgres() {
  const bin = findPostgresBin();
  if (!bin) {
    throw new Error(
      '[consentkit] PostgreSQL server binaries not found. Install with: sudo apt-get install -y postgresql ' +
        '(or set PG_BIN to the folder that holds initdb and postgres).',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'consentkit-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const pgUid = asRoot ? uidOf('postgres') : undefined;
  if (asRoot && pgUid === undefined)
    throw new Error('[consentkit] running as root but no `postgres` user exists to run PostgreSQL.');
  if (pgUid !== undefined) chownSync(dir, pgUid, pgUid);
  // Node can drop to the postgres user itself, so signals reach the server directly.
  const pgGid =
    pgUid !== undefined ? Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()) : undefined;
  const as = pgUid !== undefined ? { uid: pgUid, gid: pgGid } : {};
  const run = (cmd, args, opts = {}) => [join(bin, cmd), args, { ...opts, ...as }];

  execFileSync(
    ...run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '-N'], {
      stdio: 'ignore',
    }),
  );
  const port = await freePort();
  const [cmd, args, spawnOpts] = run('postgres', [
    '-D',
    data,
    '-p',
    String(port),
    '-k',
    dir,
    '-h',
    '127.0.0.1',
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'max_connections=200',
    '-c',
    'shared_buffers=256MB',
  ]);
  const child = spawn(cmd, args, { ...spawnOpts, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk) => {
    log = (log + chunk).slice(-4000);
  });
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      execFileSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
      break;
    } catch {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`[consentkit] throwaway PostgreSQL did not start:\n${log}`);
      }
      await sleep(100);
    }
  }
  let stopped = false;
  async function stop() {
    if (stopped) return;
    stopped = true;
    child.kill('SIGINT'); // fast shutdown
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await Promise.race([exited, sleep(10_000)]);
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
  // The postmaster's pid: the benches read the CPU of it and its backends (bench/lib/cpu-of-run.mjs).
  return { url, port, pid: child.pid, stop };
}
