import { AsyncLocalStorage } from 'node:async_hooks';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { loadConfig } from '../runtime/config.js';
import { type CommandSocketStarter, type OpenedServer, openServer } from '../runtime/server.js';

/** A person at a terminal: progress drawn in place on stderr, and questions answered on stdin. */
export type Terminal = {
  /** Raw text to stderr (a progress line redrawn with `\r`). */
  write(text: string): void;
  /** Asks a yes/no question; false unless the answer is yes. */
  confirm(question: string): Promise<boolean>;
};

/** Where a command writes: lines to stdout and stderr (captured in tests). */
export type Io = {
  out(line: string): void;
  err(line: string): void;
  /** Present only when a person is at a terminal (stderr and stdin are TTYs): progress and prompts. */
  readonly terminal?: Terminal;
  /** The folder relative paths are read from (the caller's, also when a server runs the command). */
  readonly cwd?: string;
  /** How a server this command starts takes commands (runCli gives it to `serve`; see ServerOptions.commands). */
  readonly commandSocket?: CommandSocketStarter;
};

/** A path the user typed, resolved against their working folder. */
export const userPath = (io: Io, path: string): string => resolve(io.cwd ?? process.cwd(), path);

// Set while a listening server runs a command for the CLI (cli-bridge.ts): withServer then hands
// the command that server's open ledger instead of opening the folder a second time.
const runningServer = new AsyncLocalStorage<OpenedServer>();

/** Runs `fn` with `server` as the ledger every withServer inside it gets. */
export function withRunningServer<T>(server: OpenedServer, fn: () => Promise<T>): Promise<T> {
  return runningServer.run(server, fn);
}

/** The listening server a command is running inside, when it is (cli-bridge.ts). */
export const currentRunningServer = (): OpenedServer | undefined => runningServer.getStore();

/** One `consentkit <name>` command: each feature folder exports its own, cli/registry.ts lists them. */
export type Command = {
  readonly summary: string;
  /** The command's syntax, one line per form (no configuration flags: `serve --help` lists those). */
  readonly usage: string;
  /** The command's own options, one line each: `[flag, what it does]`. */
  readonly options?: ReadonlyArray<readonly [flag: string, meaning: string]>;
  /** True when this command line never opens the ledger (`verify --bundle`): it runs here even while a server holds the folder. */
  offline?(argv: readonly string[]): boolean;
  /** The exit code: 0 ok, 1 a fault or a refused request, 2 a usage or configuration mistake. */
  run(argv: readonly string[], io: Io): Promise<number>;
};

/**
 * Opens the ledger the configuration flags in `argv` name (store, keys, policy: everything but the
 * port), runs `fn`, and closes it whatever happens. Inside a listening server (a command sent
 * through cli-bridge.ts) it is that server's ledger, left open.
 */
export async function withServer<T>(argv: readonly string[], fn: (server: OpenedServer) => Promise<T>): Promise<T> {
  const running = runningServer.getStore();
  if (running) return fn(running);
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
