#!/usr/bin/env node
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../runtime/config.js';
import { COMMANDS, commandHelp, helpText, type Io } from './commands.js';

/** `consentkit <command>`: returns the exit code (0 ok, 1 fault, 2 usage). */
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
    io.err(
      error instanceof ConfigError
        ? error.message
        : `consentkit ${name}: ${error instanceof Error ? error.message : String(error)}`,
    );
    return error instanceof ConfigError ? 2 : 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const code = await runCli(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l) });
  process.exitCode = code;
}
