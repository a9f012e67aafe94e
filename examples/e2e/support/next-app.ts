/**
 * The Next.js example as a site runs it: `next start` (the production server of the `next build`
 * output) on a free local port, pointed at a ledger on another origin, which allows that origin
 * by CORS. Stopped (and waited for) by the journey that started it.
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

export type NextApp = {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** What `next start` printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
};

export async function startNextApp(options: { port: number; ledgerUrl: string }): Promise<NextApp> {
  const url = `http://127.0.0.1:${options.port}`;
  let output = '';
  const child: ChildProcess = spawn(
    process.execPath,
    [
      join(APP_DIR, 'node_modules/next/dist/bin/next'),
      'start',
      '--port',
      String(options.port),
      '--hostname',
      '127.0.0.1',
    ],
    {
      cwd: APP_DIR,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
        CONSENTKIT_LEDGER_URL: options.ledgerUrl,
      },
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
      'the Next.js app did not start',
      30_000,
    );
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${output}`);
  }
  return { url, output: () => output, stop };
}
