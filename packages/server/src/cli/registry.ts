import { auditCommand } from '../access/audit-command.js';
import { keysCommand } from '../access/keys-command.js';
import { exportCommand, importCommand } from '../backup/backup-commands.js';
import { linkCommand } from '../email/link-command.js';
import { snippetCommand } from '../hosted-pages/snippet-command.js';
import { checkpointCommand } from '../ledger/checkpoint-command.js';
import { verifyCommand } from '../ledger/verify-command.js';
import { partnersCommand } from '../partners/partner-commands.js';
import { policyCommand } from '../policy/policy-check-command.js';
import { purgeCommand } from '../retention/purge-command.js';
import { serveCommand } from '../runtime/serve-command.js';
import { suppressionsCommand } from '../senders/suppressions-command.js';
import { eraseCommand, stateCommand } from '../subjects/subject-commands.js';
import { witnessCommand } from '../witness/witness-command.js';
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
  checkpoint: checkpointCommand,
  witness: witnessCommand,
  export: exportCommand,
  import: importCommand,
  erase: eraseCommand,
  audit: auditCommand,
  partners: partnersCommand,
  purge: purgeCommand,
  suppressions: suppressionsCommand,
  policy: policyCommand,
  snippet: snippetCommand,
};

/** What every exit code means, in `--help` and the READMEs. */
export const EXIT_CODES = [
  ['0', 'done, including answers such as "no records for that address" or "nothing to erase"'],
  ['1', 'a fault or a refusal: verify found one, import refused the file, erase not confirmed'],
  ['2', 'a usage or configuration mistake (the message says which flag or setting)'],
] as const;

// How a command finds its ledger; every other server setting is `serve --help`'s.
const LEDGER_HELP = [
  'Which ledger: --data-dir <folder> (CONSENTKIT_DATA_DIR, default ./.consentkit/data) or --database-url <url>',
  '(DATABASE_URL), and --master-key (CONSENTKIT_MASTER_KEY). While a server runs on that folder, the command',
  'runs through it. Every server setting: consentkit serve --help',
].join('\n');

const column = (rows: ReadonlyArray<readonly [string, string]>) => {
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return rows.map(([flag, meaning]) => `  ${flag.padEnd(width)}  ${meaning}`);
};

export function helpText(): string {
  const lines = ['Usage: consentkit <command> [options]', '', 'Commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(8)} ${c.summary}`);
  lines.push(
    '',
    'consentkit <command> --help shows that command’s options; consentkit serve --help the server settings.',
    '',
    'Exit codes:',
    ...column(EXIT_CODES),
  );
  return lines.join('\n');
}

export function commandHelp(name: string, command: Command): string {
  const lines = [`Usage: ${command.usage.split('\n').join('\n       ')}`, '', `${name}: ${command.summary}`];
  if (command.options && command.options.length > 0) lines.push('', 'Options:', ...column(command.options));
  // A command that never opens a ledger (policy check) has no ledger flags to explain.
  if (name === 'serve') lines.push('', CONFIG_HELP);
  else if (!command.offline?.([])) lines.push('', LEDGER_HELP);
  return lines.join('\n');
}
