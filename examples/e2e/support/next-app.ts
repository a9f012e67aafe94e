/**
 * The Next.js example as a site runs it: `next start` (the production server of the `next build`
 * output) on a free local port, pointed at a ledger on another origin, which allows that origin
 * by CORS. `next dev` too, for what only development builds report (hydration mismatches of
 * attributes). Stopped (and waited for) by the journey that started it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { eventually } from './browsers.js';
import { ROOT } from './ledger.js';

const APP_DIR = join(ROOT, 'examples/next');

/** A port nothing listens on right now (the OS picks it; the app binds it a moment later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * The server's environment: the test runner's NODE_ENV (test) must not reach it. `next start`
 * runs with production; `next dev` sets development itself (an explicit one makes it warn).
 */
function serverEnv(mode: 'start' | 'dev', ledgerUrl: string, attestKey: string | undefined): NodeJS.ProcessEnv {
  const { NODE_ENV: _runner, CONSENTKIT_ATTEST_KEY: _inherited, ...env } = process.env;
  return {
    ...env,
    ...(mode === 'start' ? { NODE_ENV: 'production' } : {}),
    NEXT_TELEMETRY_DISABLED: '1',
    CONSENTKIT_LEDGER_URL: ledgerUrl,
    // The server action's key (scope `attest`), as a site passes it: in the server's environment.
    ...(attestKey ? { CONSENTKIT_ATTEST_KEY: attestKey } : {}),
  };
}

export type NextApp = {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** What `next start` printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
};

export async function startNextApp(options: {
  port: number;
  ledgerUrl: string;
  mode?: 'start' | 'dev';
  /** An API key of scope `attest` for the server action; without it the app attests nothing. */
  attestKey?: string;
}): Promise<NextApp> {
  const mode = options.mode ?? 'start';
  const url = `http://127.0.0.1:${options.port}`;
  let output = '';
  const child: ChildProcess = spawn(
    process.execPath,
    [join(APP_DIR, 'node_modules/next/dist/bin/next'), mode, '--port', String(options.port), '--hostname', '127.0.0.1'],
    {
      cwd: APP_DIR,
      env: serverEnv(mode, options.ledgerUrl, options.attestKey),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
        return (await fetch(url)).ok ? true : undefined;
      },
      `next ${mode} did not start`,
      // The development server compiles the page on the first request.
      mode === 'dev' ? 180_000 : 30_000,
    );
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${output}`);
  }
  return { url, output: () => output, stop };
}
