// The real server as a child process (the CLI's `serve` under tsx, exactly what
// `pnpm start` / `consentkit serve` run), on a free port, so a test can `kill -9` it and start it
// again on the same data. Not a test file (no `.test.ts`), so the runner does not pick it up.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../server/src/cli/consentkit.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// Under a loaded CI machine PGlite's first start (WebAssembly compile + initdb) can take a while.
const START_TIMEOUT_MS = 180_000;

export type ServerProcess = {
  readonly url: string;
  readonly child: ChildProcess;
  /** SIGKILL: no shutdown hook runs, in-flight requests and transactions are cut off. */
  kill9(): Promise<void>;
  /** SIGTERM: the server's own graceful stop. */
  stop(): Promise<void>;
  /** What the process wrote, for failure messages. */
  output(): string;
};

/**
 * The environment for the child: the parent's, minus every setting the server reads, so only
 * the flags this suite passes configure it (a developer's DATABASE_URL must not leak in).
 */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('CONSENTKIT_') || ['DATABASE_URL', 'PORT', 'HOST', 'PUBLIC_URL'].includes(k)) continue;
    env[k] = v;
  }
  // The suites here drive sustained ingest from one address on purpose; the rate limits have
  // their own tests (http/rate-limit.node.test.ts) and would only turn load into 429s here.
  return { ...env, NODE_ENV: 'test', CONSENTKIT_RATE_LIMIT_INGEST: 'off', CONSENTKIT_RATE_LIMIT_ONE_CLICK: 'off' };
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts `consentkit serve` with `flags` (plus `--port 0`) and resolves once it prints its URL. */
export async function startServerProcess(flags: readonly string[]): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--conditions=@consentkit/source',
      CLI,
      'serve',
      ...flags,
      '--port',
      '0',
      '--host',
      '127.0.0.1',
    ],
    { cwd: ROOT, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not start within ${START_TIMEOUT_MS} ms:\n${out}`));
    }, START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code ?? signal}) before listening:\n${out}`));
    });
  });
  return {
    url,
    child,
    async kill9() {
      child.kill('SIGKILL');
      await exited(child);
    },
    async stop() {
      child.kill('SIGTERM');
      await exited(child);
    },
    output: () => out,
  };
}
