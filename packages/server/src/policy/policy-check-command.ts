import { effectivePurpose, type LegalBasis, localize, type Policy, type PurposeBasis } from '@consentkit/core';
import { CliUsageError, splitArgs } from '../cli/args.js';
import { type Command, userPath } from '../cli/command.js';
import { type PolicyFileProblem, readPolicyFile } from './policy-file.js';

/** What the elements show for a purpose on a basis (docs/policy.md's basis table), and its default. */
const WIDGET: Readonly<
  Record<PurposeBasis, { readonly mode: string; readonly shows: string; readonly defaultState: string }>
> = {
  express: {
    mode: 'express box',
    shows: 'an unticked "yes" box; <consent-optout> says off until they agree and offers the grant',
    defaultState: 'off',
  },
  implied: {
    mode: 'implied notice',
    shows: 'no control: sending the form marked data-consent-purpose grants it; <consent-notice> describes it',
    defaultState: 'on once the form is sent',
  },
  'opt-out': {
    mode: 'opt-out',
    shows: 'a "don\'t" box; <consent-optout> says not opted out, with an Opt out button',
    defaultState: 'on until they opt out',
  },
};

export type PolicyCheckRow = {
  readonly purpose: string;
  readonly title: string;
  /** A jurisdiction code or GDPR; the policy's own jurisdiction first. */
  readonly jurisdiction: string;
  readonly basis: PurposeBasis;
  readonly legalBasis: LegalBasis;
  /** The `jurisdictions` key that applied, when one did. */
  readonly override: string | null;
  /** What the widget shows: express box, implied notice or opt-out. */
  readonly mode: string;
  readonly shows: string;
  /** Where the purpose stands before the person acts. */
  readonly defaultState: string;
  readonly gpc: string | null;
};

/** Per purpose, per jurisdiction the policy names (its own, then every override key): what applies. */
export function policyCheckRows(policy: Policy): PolicyCheckRow[] {
  const overrides = new Set(policy.purposes.flatMap((p) => Object.keys(p.jurisdictions ?? {})));
  overrides.delete(policy.jurisdiction);
  const jurisdictions = [policy.jurisdiction, ...[...overrides].sort()];
  return policy.purposes.flatMap((purpose) =>
    jurisdictions.map((jurisdiction) => {
      const applied = effectivePurpose(purpose, jurisdiction);
      return {
        purpose: purpose.id,
        title: localize(purpose.title, policy.locales[0] ?? 'en'),
        jurisdiction,
        basis: applied.basis,
        legalBasis: applied.legalBasis,
        override: applied.override ?? null,
        ...WIDGET[applied.basis],
        gpc: purpose.gpc ?? null,
      };
    }),
  );
}

// The section of docs/policy.md that explains a field, by the last name in its path.
export const GUIDE: Readonly<Record<string, string>> = {
  basis: 'basis-express-implied-opt-out',
  primary: 'basis-express-implied-opt-out',
  sensitive: 'basis-express-implied-opt-out',
  legalBasis: 'legalbasis',
  jurisdictions: 'jurisdictions-bases-per-jurisdiction',
  jurisdiction: 'jurisdictions-bases-per-jurisdiction',
  gpc: 'gpc',
  consentMode: 'consent-mode',
  retention: 'retention',
  recordRetention: 'retention',
  recipients: 'recipients-and-data-categories',
  dataCategories: 'recipients-and-data-categories',
  title: 'translations',
  description: 'translations',
  label: 'translations',
  locales: 'translations',
  version: 'versions-and-re-consent',
  since: 'versions-and-re-consent',
  purposes: 'purposes',
};

/** How to fix a problem: the guide's section for the field (the shape of the file when none fits). */
export function fixFor(problem: PolicyFileProblem): string {
  if (problem.path === '(file)') return 'fix: give the path of a JSON policy file (docs/policy.md#the-shape)';
  const names = problem.path.split('.').filter((part) => !/^\d+$/.test(part));
  const section = [...names].reverse().find((name) => GUIDE[name] !== undefined);
  const field = names.at(-1) ?? problem.path;
  return `fix: ${field} as docs/policy.md#${section ? GUIDE[section] : 'the-shape'} describes`;
}

const table = (rows: readonly (readonly string[])[]): string[] => {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
};

/** `consentkit policy check FILE`: validates a policy and says what each purpose does where. */
export const policyCommand: Command = {
  summary: 'check a policy file: its problems, or per purpose and jurisdiction the basis and what the widget shows',
  usage: 'consentkit policy check <file> [--json]',
  options: [['--json', 'the rows (or the problems) as JSON']],
  // Reads one file; never the ledger, so it runs here even while a server holds the data folder.
  offline: () => true,
  async run(argv, io) {
    const { options, positionals, rest } = splitArgs(argv, { json: 'boolean' });
    const [sub, file, ...extra] = positionals;
    if (sub !== 'check') throw new CliUsageError(`consentkit policy ${sub ?? ''}: the only subcommand is check`);
    if (!file) throw new CliUsageError('consentkit policy check needs the policy file: consentkit policy check <file>');
    if (extra.length > 0 || rest.length > 0) {
      throw new CliUsageError(
        `consentkit policy check takes one file and --json; unexpected: ${[...extra, ...rest].join(' ')}`,
      );
    }
    const result = readPolicyFile(userPath(io, file));
    if (!result.ok) {
      if (result.unreadable) throw new CliUsageError(`cannot read ${file}: give the path of a policy file`);
      if (options.json) {
        io.out(
          JSON.stringify({ valid: false, problems: result.problems.map((p) => ({ ...p, fix: fixFor(p) })) }, null, 2),
        );
      } else {
        const count = result.problems.length;
        io.err(`[consentkit] ${file} is not a valid policy (${count} problem${count === 1 ? '' : 's'}):`);
        for (const problem of result.problems) io.err(`  ${problem.path}: ${problem.message}\n    ${fixFor(problem)}`);
      }
      return 1;
    }
    const { policy } = result;
    const rows = policyCheckRows(policy);
    if (options.json) {
      io.out(JSON.stringify({ valid: true, policy: { id: policy.id, version: policy.version }, rows }, null, 2));
      return 0;
    }
    io.out(
      `${file}: policy ${policy.id} ${policy.version} is valid: ${policy.purposes.length} purposes, locales ${policy.locales.join(', ')}, jurisdiction ${policy.jurisdiction}`,
    );
    for (const purpose of policy.purposes) {
      const own = rows.filter((row) => row.purpose === purpose.id);
      const first = own[0];
      io.out('');
      io.out(
        `${purpose.id} (${first?.title ?? ''})${purpose.gpc ? `; Global Privacy Control opts out (${purpose.gpc})` : ''}`,
      );
      const lines = table([
        ['  jurisdiction', 'basis', 'legal basis', 'widget', 'default', 'what it shows'],
        ...own.map((row) => [
          `  ${row.jurisdiction}${row.override ? '' : row.jurisdiction === policy.jurisdiction ? ' (policy)' : ' (as policy)'}`,
          row.basis,
          row.legalBasis,
          row.mode,
          row.defaultState,
          row.shows,
        ]),
      ]);
      for (const line of lines) io.out(line);
    }
    return 0;
  },
};
