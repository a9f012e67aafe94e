#!/usr/bin/env node
// The `consentkit` binary: finds the command in the registry and maps what it throws to an exit
// code and one readable line (never a stack trace).
import { realpathSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { fileURLToPath } from 'node:url';
import { isConsentError } from '@consentkit/core';
import { type LockHolder, readLockHolder } from '../platform/store/data-dir-lock.js';
import { ConfigError, loadConfig } from '../runtime/config.js';
import type { CommandSocketStarter } from '../runtime/server.js';
import { CliUsageError } from './args.js';
import { runThroughServer, startCommandSocket } from './cli-bridge.js';
import { currentRunningServer, type Io } from './command.js';
import { COMMANDS, commandHelp, helpText } from './registry.js';

/**
 * The server listening on the embedded ledger these flags name, if one is: the command then runs
 * there (cli-bridge.ts), since PGlite allows one process per folder. Only the two flags that pick
 * the store are read here; a mistake in any setting is left for the command to report.
 */
function serverHolding(argv: readonly string[]): LockHolder | undefined {
  const picked: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--data-dir' || arg === '--database-url') picked.push(arg, argv[++i] ?? '');
    else if (arg.startsWith('--data-dir=') || arg.startsWith('--database-url=')) picked.push(arg);
  }
  try {
    const config = loadConfig({ argv: picked });
    if (config.databaseUrl) return undefined;
    const holder = readLockHolder(config.dataDir);
    return holder?.role === 'server' && holder.pid !== process.pid ? holder : undefined;
  } catch {
    return undefined;
  }
}

/** What a listening server runs `consentkit` commands with: this CLI, over its socket (cli-bridge.ts). */
export const commandSocketStarter: CommandSocketStarter = (server, lock, url) =>
  startCommandSocket({ server, lock, url, run: runCli });

/** `consentkit <command>`: returns the exit code (0 ok, 1 fault, 2 usage or configuration). */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(helpText());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`unknown command "${name}"\n\n${helpText()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(commandHelp(name, command));
    return 0;
  }
  try {
    const holder =
      name === 'serve' || command.offline?.(rest) || currentRunningServer() ? undefined : serverHolding(rest);
    if (holder) return await runThroughServer(holder, argv, io);
    return await command.run(rest, { ...io, commandSocket: commandSocketStarter });
  } catch (error) {
    // A ConsentError's message is already `[consentkit] what failed. How to fix it. See …#code`.
    io.err(
      isConsentError<string>(error)
        ? error.message
        : `[consentkit] ${name} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    return error instanceof ConfigError || error instanceof CliUsageError ? 2 : 1;
  }
}

/** A person at the terminal: both stderr (progress) and stdin (answers) are TTYs. */
function terminalIo(): Io['terminal'] {
  if (!process.stderr.isTTY || !process.stdin.isTTY) return undefined;
  return {
    write: (text) => void process.stderr.write(text),
    async confirm(question) {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
      } finally {
        rl.close();
      }
    },
  };
}

// Run as a program, also through a symlink (npm's and pnpm's .bin links are symlinks): compare
// real paths, not the link's path with this module's.
function isMain(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  const terminal = terminalIo();
  const code = await runCli(process.argv.slice(2), {
    out: (l) => console.log(l),
    err: (l) => console.error(l),
    ...(terminal ? { terminal } : {}),
  });
  process.exitCode = code;
}
