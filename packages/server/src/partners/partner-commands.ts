import { appendAudit } from '../access/audit-log.js';
import { CliUsageError, splitArgs } from '../cli/args.js';
import { type Command, cliActor, type Io, withServer } from '../cli/command.js';
import {
  type DeliveryStatus,
  deliveryAttempts,
  getDelivery,
  isDeliveryStatus,
  listDeliveries,
  retryDelivery,
} from './partner-deliveries.js';

/**
 * `consentkit partners …`: the partner registry and the webhook delivery queue from the console.
 * Registry changes and re-queues are admin actions, written to the audit trail as `cli:<user>`.
 */
const PARTNERS_USAGE =
  'consentkit partners list [--json]\n' +
  'consentkit partners add <recipient-id> --endpoint <https-url> [--json]\n' +
  'consentkit partners rotate-secret <id> [--grace <seconds, default 86400>] [--json]\n' +
  'consentkit partners remove <id>\n' +
  'consentkit partners deliveries [--status pending|failed|delivered] [--partner <id>] [--limit <n>] [--json]\n' +
  'consentkit partners attempts <delivery-id> [--json]\n' +
  'consentkit partners retry <delivery-id>\n' +
  'consentkit partners pseudonym <id> <subject-ref>   (the subject id this partner receives)';

const wholeNumber = (value: string | true | undefined, flag: string, fallback: number): number => {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw new CliUsageError(`${flag} takes a whole number`);
  return n;
};

function printSecret(io: Io, id: string, endpoint: string, secret: string, note: string) {
  io.out(`partner:  ${id}`);
  io.out(`endpoint: ${endpoint}`);
  io.out(`secret:   ${secret}`);
  io.out(`The secret is shown once and stored only sealed: give it to the partner now. ${note}`);
}

async function runPartners(argv: readonly string[], io: Io): Promise<number> {
  const { positionals, options, rest } = splitArgs(argv, {
    endpoint: 'value',
    grace: 'value',
    status: 'value',
    partner: 'value',
    limit: 'value',
    json: 'boolean',
  });
  const action = positionals[0] ?? 'deliveries';
  const arg = (index: number, what: string) => {
    const value = positionals[index];
    if (!value) throw new CliUsageError(`${what} is required\n\n${PARTNERS_USAGE}`);
    return value;
  };
  const actor = cliActor();

  return withServer(rest, async ({ context }) => {
    const { store, partners } = context;
    switch (action) {
      case 'list': {
        const list = await partners.list(store);
        if (options.json) io.out(JSON.stringify(list, null, 2));
        else if (list.length === 0)
          io.out('no partners (register one with: consentkit partners add <recipient-id> --endpoint <url>)');
        for (const p of options.json ? [] : list) {
          const state = p.disabledAt ? `removed ${p.disabledAt}` : 'active';
          const rotating = p.previousSecretUntil ? `  (previous secret valid until ${p.previousSecretUntil})` : '';
          io.out(`${p.id.padEnd(24)} ${state.padEnd(8)} ${p.endpoint}${rotating}`);
        }
        return 0;
      }
      case 'add': {
        const id = arg(1, 'the recipient id (from the policy)');
        if (typeof options.endpoint !== 'string')
          throw new CliUsageError('--endpoint is required (the partner’s https:// URL)');
        const endpoint = options.endpoint;
        const added = await store.transaction(async (tx) => {
          const result = await partners.add(tx, { id, endpoint, policy: context.policies.current });
          await appendAudit(tx, {
            actor,
            action: 'partner.add',
            target: id,
            ip: null,
            detail: { endpoint: result.partner.endpoint },
          });
          return result;
        });
        if (options.json) io.out(JSON.stringify({ ...added.partner, secret: added.secret }, null, 2));
        else printSecret(io, id, added.partner.endpoint, added.secret, 'It verifies the ConsentKit-Signature header.');
        return 0;
      }
      case 'rotate-secret': {
        const id = arg(1, 'the partner id');
        const graceSeconds = wholeNumber(options.grace, '--grace', 86_400);
        const rotated = await store.transaction(async (tx) => {
          const result = await partners.rotateSecret(tx, id, { graceSeconds });
          await appendAudit(tx, {
            actor,
            action: 'partner.rotate-secret',
            target: id,
            ip: null,
            detail: { graceSeconds },
          });
          return result;
        });
        if (options.json) io.out(JSON.stringify({ ...rotated.partner, secret: rotated.secret }, null, 2));
        else {
          const until = rotated.partner.previousSecretUntil;
          printSecret(
            io,
            id,
            rotated.partner.endpoint,
            rotated.secret,
            until ? `Webhooks carry both signatures until ${until}.` : 'The old secret no longer signs.',
          );
        }
        return 0;
      }
      case 'remove': {
        const id = arg(1, 'the partner id');
        const removed = await store.transaction(async (tx) => {
          const done = await partners.remove(tx, id);
          if (done) await appendAudit(tx, { actor, action: 'partner.remove', target: id, ip: null });
          return done;
        });
        if (!removed) {
          io.err(`no active partner "${id}"`);
          return 1;
        }
        io.out(`removed ${id}: it receives nothing more; its pending deliveries will fail unsent`);
        return 0;
      }
      case 'deliveries': {
        let status: DeliveryStatus | DeliveryStatus[] = ['pending', 'failed'];
        if (options.status !== undefined) {
          const value = typeof options.status === 'string' ? options.status : '';
          if (!isDeliveryStatus(value)) throw new CliUsageError('--status is pending, failed or delivered');
          status = value;
        }
        const deliveries = await listDeliveries(store, {
          status,
          ...(typeof options.partner === 'string' ? { partner: options.partner } : {}),
          limit: wholeNumber(options.limit, '--limit', 100),
        });
        if (options.json) {
          io.out(JSON.stringify({ deliveries }, null, 2));
          return 0;
        }
        if (deliveries.length === 0) io.out(`no ${[status].flat().join(' or ')} deliveries`);
        for (const d of deliveries) {
          const when = d.status === 'pending' ? `next ${d.nextAttemptAt}` : d.updatedAt;
          const last = d.lastError ?? (d.lastStatus === null ? '' : `HTTP ${d.lastStatus}`);
          io.out(
            `${d.id}  ${d.status.padEnd(9)} ${d.partner}  ${d.eventType}  ${d.purpose}  attempts ${d.attempts}  ${when}${last ? `  ${last}` : ''}`,
          );
        }
        return 0;
      }
      case 'attempts': {
        const id = arg(1, 'the delivery id');
        const delivery = await getDelivery(store, id);
        if (!delivery) {
          io.err(`no delivery with id ${id}`);
          return 1;
        }
        const attempts = await deliveryAttempts(store, id);
        if (options.json) io.out(JSON.stringify({ delivery, attempts }, null, 2));
        else {
          io.out(`${delivery.id}  ${delivery.status}  ${delivery.partner}  ${delivery.eventType}  ${delivery.purpose}`);
          for (const a of attempts) {
            io.out(`  #${a.attempt}  ${a.at}  ${a.status ?? '-'}  ${a.durationMs} ms${a.error ? `  ${a.error}` : ''}`);
          }
          if (attempts.length === 0) io.out('  no attempts yet');
        }
        return 0;
      }
      case 'retry': {
        const id = arg(1, 'the delivery id');
        const delivery = await store.transaction(async (tx) => {
          const updated = await retryDelivery(tx, id);
          await appendAudit(tx, {
            actor,
            action: 'partner.delivery-retry',
            target: id,
            ip: null,
            detail: { partner: updated.partner },
          });
          return updated;
        });
        io.out(`re-queued ${delivery.id} for ${delivery.partner}; the running server sends it on its next pass`);
        return 0;
      }
      case 'pseudonym': {
        const id = arg(1, 'the partner id');
        const ref = arg(2, 'the subject ref');
        const pseudonym = await partners.pseudonymFor(store, id, ref);
        if (pseudonym === undefined) {
          io.err(`no partner "${id}"`);
          return 1;
        }
        io.out(pseudonym);
        return 0;
      }
      default:
        throw new CliUsageError(`unknown partners action "${action}"\n\n${PARTNERS_USAGE}`);
    }
  });
}

export const partnersCommand: Command = {
  summary: 'partner webhooks: registry, pending and failed deliveries',
  usage: PARTNERS_USAGE,
  options: [
    ['--endpoint <https-url>', 'add: where the partner receives webhooks'],
    ['--grace <seconds>', 'rotate-secret: how long the old secret still signs (default 86400)'],
    ['--status <status>', 'deliveries: pending, failed or delivered (default: pending and failed)'],
    ['--partner <id>', 'deliveries: one partner only'],
    ['--limit <n>', 'deliveries: at most n, newest first (default 100)'],
    ['--json', 'JSON output'],
  ],
  run: runPartners,
};
