import { auditCommand } from '../access/audit-command.js';
import { keysCommand } from '../access/keys-command.js';
import { exportCommand, importCommand } from '../backup/backup-commands.js';
import { linkCommand } from '../email/link-command.js';
import { verifyCommand } from '../ledger/verify-command.js';
import { partnersCommand } from '../partners/partner-commands.js';
import { purgeCommand } from '../retention/purge-command.js';
import { serveCommand } from '../runtime/serve-command.js';
import { eraseCommand, stateCommand } from '../subjects/subject-commands.js';
import { CONFIG_HELP } from './args.js';
import type { Command } from './command.js';

/**
 * Every `consentkit` command, in the order `--help` lists them. Each lives in its feature's folder;
 * adding one is a `Command` there and a line here.
 */
export const COMMANDS: Readonly<Record<string, Command>> = {
  serve: serveCommand,
  keys: keysCommand,
  link: linkCommand,
  state: stateCommand,
  verify: verifyCommand,
  export: exportCommand,
  import: importCommand,
  erase: eraseCommand,
  audit: auditCommand,
  partners: partnersCommand,
  purge: purgeCommand,
};

export function helpText(): string {
  const lines = ['Usage: consentkit <command> [options]', '', 'Commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(8)} ${c.summary}`);
  lines.push('', 'consentkit <command> --help shows the command’s options.', '', CONFIG_HELP);
  return lines.join('\n');
}

export function commandHelp(name: string, command: Command): string {
  return `${command.usage}\n\n${name}: ${command.summary}\n\n${CONFIG_HELP}`;
}
