// Starts the bench ledger server (server-child.mjs) in a child process and talks to it.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './paths.mjs';

export const BENCH_API_KEY = 'bench-admin-key-0123456789abcdef';

/** Every server child still running, so an interrupted run can stop them (run.mjs). */
export const running = new Set();

/**
 * @param {{ store: 'pglite' | 'postgres', databaseUrl?: string, profile?: boolean, staticDir?: string,
 *   corsOrigins?: string[], poolSize?: number, verifyThreads?: number, warmProofs?: boolean }} options
 */
export async function startBenchServer(options) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@consentkit/source', join(ROOT, 'bench/lib/server-child.mjs')],
    {
      cwd: ROOT,
      env: { ...process.env, BENCH_SERVER: JSON.stringify(options), NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  running.add(child);
  child.once('exit', () => running.delete(child));
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.startsWith('READY '));
      if (line) {
        child.stdout.off('data', onData);
        child.stdout.resume();
        resolve(JSON.parse(line.slice(6)).url);
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`bench server exited (${code}) before it listened:\n${stderr}`)));
  });
  const call = async (path, body) => {
    const response = await fetch(`${url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  return {
    url,
    databaseUrl: options.databaseUrl,
    pid: child.pid,
    call,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * A bench server for `storeKind`, with its own database. Full runs start a fresh one per use, so
 * one bench's data never skews another's; the smoke run shares one per store across benches
 * (server start-up dominates a smoke), with profiling on so that code path runs too.
 * @returns {Promise<{ server: Awaited<ReturnType<typeof startBenchServer>>, release(): Promise<void> }>}
 */
export async function serverFor(ctx, storeKind, options = {}) {
  const { createDatabase } = await import('./postgres.mjs');
  const start = async (opts) => {
    const db = storeKind === 'postgres' ? await createDatabase() : undefined;
    const server = await startBenchServer({
      store: storeKind,
      databaseUrl: db?.url,
      staticDir: ctx.staticDir,
      ...opts,
    });
    return {
      server,
      stop: async () => {
        await server.stop();
        await db?.drop();
      },
    };
  };
  if (!ctx.smoke) {
    const { server, stop } = await start(options);
    return { server, release: stop };
  }
  const key = `server:${storeKind}`;
  if (!ctx.shared.has(key)) {
    const starting = start({ profile: true }).then((started) => {
      ctx.cleanups.push(started.stop);
      return started;
    });
    starting.catch(() => {}); // a failed start is reported by the bench that awaits it
    ctx.shared.set(key, starting);
  }
  return { server: (await ctx.shared.get(key)).server, release: async () => {} };
}
