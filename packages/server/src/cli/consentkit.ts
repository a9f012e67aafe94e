#!/usr/bin/env node
// The `consentkit` binary: finds the command in the registry and maps what it throws to an exit
// code and one readable line (never a stack trace).
import { pathToFileURL } from 'node:url';
import { isConsentError } from '@consentkit/core';
import { ConfigError } from '../runtime/config.js';
import type { Io } from './command.js';
import { COMMANDS, commandHelp, helpText } from './registry.js';

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
    return await command.run(rest, io);
  } catch (error) {
    // A ConsentError's message is already `[consentkit] what failed. How to fix it. See …#code`.
    io.err(
      isConsentError<string>(error)
        ? error.message
        : `[consentkit] ${name} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    return error instanceof ConfigError ? 2 : 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const code = await runCli(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l) });
  process.exitCode = code;
}
