import { CliUsageError, splitArgs } from '../cli/args.js';
import { type Command, cliActor, type Io, withServer } from '../cli/command.js';
import { rotateKeys } from '../platform/crypto/keyring.js';
import { loadConfig, resolveMasterKey } from '../runtime/config.js';
import { createApiKey, isApiScope, listApiKeys, revokeApiKey } from './api-keys.js';
import { appendAudit } from './audit-log.js';

/** `consentkit keys api create --scope <s> --name <n> | revoke <id> | list`; creation and revocation are audited. */
async function runApiKeys(argv: readonly string[], io: Io): Promise<number> {
  const { positionals, options, rest } = splitArgs(argv, { scope: 'value', name: 'value', json: 'boolean' });
  const action = positionals[0] ?? 'list';
  return withServer(rest, async ({ context }) => {
    const { store } = context;
    if (action === 'create') {
      const scope = typeof options.scope === 'string' ? options.scope : '';
      if (!isApiScope(scope))
        throw new CliUsageError('--scope is required: ingest, read, attest, admin or suppressions');
      if (typeof options.name !== 'string') throw new CliUsageError('--name is required (who or what holds the key)');
      const name = options.name;
      const created = await store.transaction(async (tx) => {
        const key = await createApiKey(tx, { name, scope });
        await appendAudit(tx, {
          actor: cliActor(),
          action: 'api-key.create',
          target: key.id,
          ip: null,
          detail: { name: key.name, scope: key.scope },
        });
        return key;
      });
      if (options.json) io.out(JSON.stringify(created, null, 2));
      else {
        io.out(`id:    ${created.id}`);
        io.out(`scope: ${created.scope}`);
        io.out(`key:   ${created.key}`);
        io.out('The key is shown once and stored only as a hash: copy it now.');
      }
      return 0;
    }
    if (action === 'revoke') {
      const id = positionals[1];
      if (!id) throw new CliUsageError('usage: consentkit keys api revoke <id>');
      const revoked = await store.transaction(async (tx) => {
        const done = await revokeApiKey(tx, id);
        if (done) await appendAudit(tx, { actor: cliActor(), action: 'api-key.revoke', target: id, ip: null });
        return done;
      });
      if (!revoked) {
        io.err(`no active API key with id ${id}`);
        return 1;
      }
      io.out(`revoked ${id}`);
      return 0;
    }
    if (action === 'list') {
      const keys = await listApiKeys(store);
      if (options.json) io.out(JSON.stringify(keys, null, 2));
      for (const k of options.json ? [] : keys) {
        const status = k.revokedAt ? `revoked ${k.revokedAt}` : 'active';
        io.out(`${k.id}  ${k.scope.padEnd(6)} ${status.padEnd(8)} ${k.createdAt}  ${k.name}`);
      }
      if (!options.json && keys.length === 0) io.out('no API keys (create one with: consentkit keys api create)');
      return 0;
    }
    throw new CliUsageError(`unknown keys api action "${action}" (create, revoke or list)`);
  });
}

/** `consentkit keys list | rotate` (the ledger's own keys) and `consentkit keys api …` (API keys). */
export const keysCommand: Command = {
  summary: 'list or rotate the ledger keys; create, revoke and list API keys (keys api …)',
  usage:
    'consentkit keys list | rotate [--signing-only | --token-only]\n' +
    'consentkit keys api create --scope <ingest|read|admin> --name <name> [--json] | revoke <id> | list [--json]',
  options: [
    ['--signing-only', 'rotate: only the ledger signing key (old keys keep verifying)'],
    ['--token-only', 'rotate: only the unsubscribe-token key'],
    ['--scope <scope>', 'api create: ingest, read or admin (admin implies the others)'],
    ['--name <name>', 'api create: who the key is for (shown in the audit trail)'],
    ['--json', 'api create / api list: JSON output'],
  ],
  async run(argv, io) {
    if (argv[0] === 'api') return runApiKeys(argv.slice(1), io);
    const { positionals, options, rest } = splitArgs(argv, { 'signing-only': 'boolean', 'token-only': 'boolean' });
    const action = positionals[0] ?? 'list';
    if (action !== 'list' && action !== 'rotate') {
      throw new CliUsageError(`unknown keys action "${action}" (list or rotate)`);
    }
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
};
