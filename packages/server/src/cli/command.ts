import { userInfo } from 'node:os';
import { loadConfig } from '../runtime/config.js';
import { type OpenedServer, openServer } from '../runtime/server.js';

/** Where a command writes: lines to stdout and stderr (captured in tests). */
export type Io = { out(line: string): void; err(line: string): void };

/** One `consentkit <name>` command: each feature folder exports its own, cli/registry.ts lists them. */
export type Command = {
  readonly summary: string;
  readonly usage: string;
  /** The exit code: 0 ok, 1 a fault or a refused request, 2 a usage or configuration mistake. */
  run(argv: readonly string[], io: Io): Promise<number>;
};

/**
 * Opens the ledger the configuration flags in `argv` name (store, keys, policy: everything but the
 * port), runs `fn`, and closes it whatever happens.
 */
export async function withServer<T>(argv: readonly string[], fn: (server: OpenedServer) => Promise<T>): Promise<T> {
  const server = await openServer(loadConfig({ argv }));
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}

/**
 * Who acted at the console, for the audit trail: `cli:<os user>`. The operator holds the master
 * key, but the trail should still say who acted and what they did.
 */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli'; // no passwd entry (some containers): still say it came from the console
  }
}
