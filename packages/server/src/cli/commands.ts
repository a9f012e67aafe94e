import { auditCliRead, runApiKeys, runAudit, runErase, verifyAuditChain } from '../access/access-commands.js';
import { exportCommand, importCommand } from '../backup/backup-commands.js';
import { runVerifyBundle, wantsBundle } from '../bundle/verify-bundle-command.js';
import { createUnsubscribeLinker } from '../email/list-unsubscribe.js';
import { verifyLedger } from '../ledger/verify-ledger.js';
import { PARTNERS_USAGE, runPartners } from '../partners/partner-commands.js';
import { rotateKeys } from '../platform/crypto/keyring.js';
import { PURGE_USAGE, runPurge } from '../retention/purge-command.js';
import { loadConfig, resolveMasterKey } from '../runtime/config.js';
import { startServer, stopOnSignals } from '../runtime/main.js';
import { openServer } from '../runtime/server.js';
import { blindIndexOf, findSubjectByIndex } from '../subjects/subject-lookup.js';
import { CONFIG_HELP, splitArgs } from './args.js';
import { loadExampleRoutes } from './example-routes.js';

export type Io = { out(line: string): void; err(line: string): void };
export type Command = {
  readonly summary: string;
  readonly usage: string;
  run(argv: readonly string[], io: Io): Promise<number>;
};

async function withServer<T>(
  argv: readonly string[],
  fn: (opened: Awaited<ReturnType<typeof openServer>>) => Promise<T>,
) {
  const opened = await openServer(loadConfig({ argv }));
  try {
    return await fn(opened);
  } finally {
    await opened.close();
  }
}

const need = (value: string | true | undefined, flag: string): string => {
  if (typeof value !== 'string' || value === '') throw new Error(`${flag} is required`);
  return value;
};

export const COMMANDS: Record<string, Command> = {
  serve: {
    summary: 'run the ledger server (API, hosted pages)',
    usage: 'consentkit serve [config flags]',
    async run(argv, io) {
      const config = loadConfig({ argv });
      const routes = config.examplesDir ? await loadExampleRoutes(config.examplesDir, io.err) : [];
      const server = await startServer(config, { routes });
      stopOnSignals(server);
      await new Promise(() => {}); // runs until a signal stops the process
      return 0;
    },
  },
  keys: {
    summary: 'list or rotate the ledger keys; create, revoke and list API keys (keys api …)',
    usage:
      'consentkit keys list | rotate [--signing-only | --token-only] [config flags]\n' +
      'consentkit keys api create --scope <ingest|read|admin> --name <name> [--json] | revoke <id> | list [--json]',
    async run(argv, io) {
      if (argv[0] === 'api') return runApiKeys(argv.slice(1), io);
      const { positionals, options, rest } = splitArgs(argv, { 'signing-only': 'boolean', 'token-only': 'boolean' });
      const action = positionals[0] ?? 'list';
      if (action !== 'list' && action !== 'rotate') throw new Error(`unknown keys action "${action}" (list or rotate)`);
      const config = loadConfig({ argv: rest });
      if (action === 'rotate') {
        await withServer(rest, async ({ context }) => {
          const purposes = options['signing-only']
            ? (['signing'] as const)
            : options['token-only']
              ? (['token'] as const)
              : undefined;
          await rotateKeys({
            store: context.store,
            masterKey: resolveMasterKey(config).key,
            ...(purposes ? { purposes } : {}),
          });
        });
        io.out('rotated; restart running servers to sign with the new keys (old keys keep verifying)');
      }
      await withServer(rest, async ({ context }) => {
        for (const k of await context.keyring.list())
          io.out(`${k.status.padEnd(8)} ${k.purpose.padEnd(12)} ${k.algorithm.padEnd(6)} ${k.kid}  ${k.createdAt}`);
      });
      return 0;
    },
  },
  link: {
    summary: 'unsubscribe + preference URLs and List-Unsubscribe headers for an address',
    usage: 'consentkit link --email <address> --purpose <purpose-id|*> [--json] [config flags]',
    async run(argv, io) {
      const { options, rest } = splitArgs(argv, { email: 'value', purpose: 'value', json: 'boolean' });
      const email = need(options.email, '--email');
      const purpose = need(options.purpose, '--purpose');
      const config = loadConfig({ argv: rest });
      await withServer(rest, async ({ context, publicUrl }) => {
        const links = await createUnsubscribeLinker({ context, publicUrl, mailto: config.unsubscribeMailto }).linksFor({
          email,
          purpose,
        });
        if (options.json) io.out(JSON.stringify(links, null, 2));
        else {
          io.out(`unsubscribe: ${links.unsubscribeUrl}`);
          io.out(`preferences: ${links.preferencesUrl}`);
          for (const line of links.headerLines) io.out(line);
        }
      });
      return 0;
    },
  },
  state: {
    summary: 'per-purpose consent state for an address',
    usage: 'consentkit state --email <address> [config flags]',
    async run(argv, io) {
      const { options, rest } = splitArgs(argv, { email: 'value' });
      const email = need(options.email, '--email');
      return withServer(rest, async ({ context }) => {
        const subject = await findSubjectByIndex(context.store, await blindIndexOf(context.keyring, 'email', email));
        if (!subject) {
          io.err('no records for that address');
          return 1;
        }
        const state = await context.subjects.state(subject.ref);
        await auditCliRead(context.store, subject.ref);
        io.out(JSON.stringify({ subject: subject.ref, state }, null, 2));
        return 0;
      });
    },
  },
  verify: {
    summary: 'walk the ledger (chain, signatures, receipts, checkpoints) and the audit chain; exit 1 on any fault',
    usage:
      'consentkit verify [--signatures] [config flags] | consentkit verify --bundle <export.jws> [--jwks <url|file>]\n' +
      '  --signatures  also re-verify every record signature, signer chain and receipt (slower)',
    async run(argv, io) {
      if (wantsBundle(argv)) return runVerifyBundle(argv, io);
      const signatures = argv.includes('--signatures');
      return withServer(
        argv.filter((a) => a !== '--signatures'),
        async ({ context }) => {
          const result = await verifyLedger({
            store: context.store,
            ledger: context.ledger,
            keys: await context.keyring.publicJwks(),
            signatures,
          });
          if (result.ok) {
            io.out(`ok: ${result.count} entries, ${result.checkpoints} checkpoints, head ${result.headSeq}`);
            return verifyAuditChain(context.store, io);
          }
          io.err(
            `FAULT at entry ${result.seq}${result.recordId ? ` (record ${result.recordId})` : ''}: ${result.reason}`,
          );
          io.err(`${result.count} entries before it verified`);
          return 1;
        },
      );
    },
  },
  export: exportCommand,
  import: importCommand,
};

Object.assign(COMMANDS, {
  erase: {
    summary: 'erase a person: data key, openings, blind index (the ledger still verifies)',
    usage: 'consentkit erase --email <address> [config flags]',
    run: runErase,
  },
  audit: {
    summary: 'list the audit trail (reads of personal data, admin actions)',
    usage: 'consentkit audit [--json] [--after <seq>] [--limit <n>] [config flags]',
    run: runAudit,
  },
  partners: {
    summary: 'partner webhooks: registry, pending and failed deliveries',
    usage: PARTNERS_USAGE,
    run: runPartners,
  },
  purge: {
    summary: 'destroy what is past retention (--dry-run lists it); --receipts',
    usage: PURGE_USAGE,
    run: runPurge,
  },
} satisfies Record<string, Command>);

export function helpText(): string {
  const lines = ['Usage: consentkit <command> [options]', '', 'Commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(8)} ${c.summary}`);
  lines.push('', 'consentkit <command> --help shows the command’s options.', '', CONFIG_HELP);
  return lines.join('\n');
}

export function commandHelp(name: string, command: Command): string {
  return `${command.usage}\n\n${name}: ${command.summary}\n\n${CONFIG_HELP}`;
}
