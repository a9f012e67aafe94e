import { userInfo } from 'node:os';
import { splitArgs } from '../cli/args.js';
import type { Store } from '../platform/store/store.js';
import { loadConfig } from '../runtime/config.js';
import { openServer } from '../runtime/server.js';
import { eraseSubject } from '../subjects/erasure.js';
import { blindIndexOf, findSubjectByIndex } from '../subjects/subject-lookup.js';
import { createApiKey, isApiScope, listApiKeys, revokeApiKey } from './api-keys.js';
import { appendAudit, listAudit, recordAudit, verifyAudit } from './audit-log.js';

/**
 * The issue-7 commands (scoped API keys, erasure, the audit trail), apart from commands.ts to keep
 * each file to one concern. Everything done at the console is audited as `cli:<os user>`: the
 * operator has the master key, but the trail should still say who acted and what they did.
 */
export type Io = { out(line: string): void; err(line: string): void };

export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli'; // no passwd entry (some containers): still say it came from the console
  }
}

async function withContext<T>(
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

/** `consentkit keys api create --scope <s> --name <n> | revoke <id> | list`. */
export async function runApiKeys(argv: readonly string[], io: Io): Promise<number> {
  const { positionals, options, rest } = splitArgs(argv, { scope: 'value', name: 'value', json: 'boolean' });
  const action = positionals[0] ?? 'list';
  return withContext(rest, async ({ context }) => {
    const { store } = context;
    if (action === 'create') {
      const scope = typeof options.scope === 'string' ? options.scope : '';
      if (!isApiScope(scope)) throw new Error('--scope is required: ingest, read or admin');
      if (typeof options.name !== 'string') throw new Error('--name is required (who or what holds the key)');
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
      if (!id) throw new Error('usage: consentkit keys api revoke <id>');
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
    throw new Error(`unknown keys api action "${action}" (create, revoke or list)`);
  });
}

/** `consentkit erase --email <address>`. */
export async function runErase(argv: readonly string[], io: Io): Promise<number> {
  const { options, rest } = splitArgs(argv, { email: 'value' });
  if (typeof options.email !== 'string' || options.email === '') throw new Error('--email is required');
  const email = options.email;
  return withContext(rest, async ({ context }) => {
    const subject = await findSubjectByIndex(context.store, await blindIndexOf(context.keyring, 'email', email));
    const erased = subject
      ? await eraseSubject(context.ledger, { subjectRef: subject.ref, actor: cliActor(), ip: null })
      : undefined;
    if (!erased) {
      io.err('no subject for that address (never known, or already erased)');
      return 1;
    }
    io.out(
      `erased subject ${erased.subjectRef}: ${erased.openings} openings, ${erased.commitments} commitment links, ` +
        `${erased.dataKeys} data key; audit entry ${erased.auditSeq}`,
    );
    return 0;
  });
}

/** `consentkit audit [--json] [--after <seq>] [--limit <n>]`. */
export async function runAudit(argv: readonly string[], io: Io): Promise<number> {
  const { options, rest } = splitArgs(argv, { json: 'boolean', after: 'value', limit: 'value' });
  const number = (value: string | true | undefined, fallback: number) => {
    const n = typeof value === 'string' ? Number(value) : fallback;
    if (!Number.isSafeInteger(n) || n < 0) throw new Error('--after and --limit take a whole number');
    return n;
  };
  return withContext(rest, async ({ context }) => {
    const entries = await listAudit(context.store, {
      afterSeq: number(options.after, 0),
      limit: number(options.limit, 1000),
    });
    for (const e of entries) {
      if (options.json) io.out(JSON.stringify(e));
      else {
        const detail = Object.keys(e.detail).length > 0 ? ` ${JSON.stringify(e.detail)}` : '';
        io.out(`${e.seq}  ${e.at}  ${e.actor}  ${e.action}  ${e.target ?? '-'}  ${e.ip ?? '-'}${detail}`);
      }
    }
    if (!options.json && entries.length === 0) io.out('the audit trail is empty');
    return 0;
  });
}

/** The audit half of `consentkit verify`: exit code 0 or 1, one line either way. */
export async function verifyAuditChain(store: Store, io: Io): Promise<number> {
  const result = await verifyAudit(store);
  if (result.ok) {
    io.out(`audit ok: ${result.count} entries`);
    return 0;
  }
  io.err(`AUDIT FAULT at audit entry ${result.seq ?? '?'}: ${result.reason}`);
  return 1;
}

/** Logs a console read of personal data (`consentkit state`). */
export function auditCliRead(store: Store, subjectRef: string): Promise<unknown> {
  return recordAudit(store, { actor: cliActor(), action: 'subject.state', target: subjectRef, ip: null });
}
