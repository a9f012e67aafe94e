import { backoffDelay, ConsentError, findRecipient, type Policy } from '@consentkit/core';
import type { Queryable, Store } from '../platform/store/store.js';
import type { PartnerRegistry } from './partner-registry.js';
import {
  type BackoffOptions,
  createWebhookDeliverer,
  type WebhookAttempt,
  type WebhookEvent,
} from './webhook-delivery.js';

/**
 * Sends due deliveries, one HTTP attempt per due row per run, with the backoff schedule kept in
 * the row (next_attempt_at, attempts, last_status, last_error) rather than in memory: a restart
 * loses no retry, and several servers share the queue. A row is claimed by pushing its
 * next_attempt_at past a lease before the HTTP call, so no transaction is held open while a
 * partner answers, and a crash mid-call only means the row is tried again when the lease ends.
 */
export type PartnerWorkerOptions = {
  readonly store: Store;
  readonly registry: PartnerRegistry;
  /** The policy in force: a recipient no longer audited receives nothing. */
  readonly policy: Policy;
  /** Attempts before a delivery is marked failed (default 12); `consentkit partners retry` gives a fresh budget. */
  readonly maxAttempts?: number;
  /** Default: 1 min doubling up to 6 h, up to half of each wait random: 12 attempts span 10–20 hours. */
  readonly backoff?: BackoffOptions;
  /** Rows per run (default 50). */
  readonly batchSize?: number;
  /** Per-attempt timeout (default 10 s). */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
  readonly now?: () => Date;
  readonly random?: () => number;
};

export type WorkerResult = { readonly attempted: number; readonly delivered: number; readonly failed: number };

export const DEFAULT_PARTNER_BACKOFF: BackoffOptions = { baseMs: 60_000, maxMs: 6 * 60 * 60 * 1000, jitter: 0.5 };
export const DEFAULT_PARTNER_MAX_ATTEMPTS = 12;

type DueRow = { id: string; partner_id: string; payload: string; attempts: number; retry_base: number };

async function recordAttempt(
  q: Queryable,
  row: DueRow,
  attempt: WebhookAttempt,
  next: { status: 'pending' | 'delivered' | 'failed'; nextAttemptAt: string; at: string },
) {
  const number = Number(row.attempts) + 1;
  await q.query(
    'INSERT INTO partner_delivery_attempts (delivery_id, attempt, at, status, error, duration_ms) VALUES ($1,$2,$3,$4,$5,$6)',
    [row.id, number, attempt.at, attempt.status, attempt.error, attempt.durationMs],
  );
  await q.query(
    `UPDATE partner_deliveries SET status = $2, attempts = $3, next_attempt_at = $4, last_status = $5, last_error = $6,
       updated_at = $7, delivered_at = CASE WHEN $2 = 'delivered' THEN $7 ELSE delivered_at END
     WHERE id = $1`,
    [row.id, next.status, number, next.nextAttemptAt, attempt.status, attempt.error, next.at],
  );
}

/** Fails a row without an HTTP attempt (the partner may no longer receive anything). */
async function block(q: Queryable, id: string, reason: string, at: string) {
  await q.query(
    `UPDATE partner_deliveries SET status = 'failed', last_error = $2, updated_at = $3 WHERE id = $1 AND status = 'pending'`,
    [id, reason, at],
  );
}

export async function deliverDuePartnerEvents(options: PartnerWorkerOptions): Promise<WorkerResult> {
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const maxAttempts = options.maxAttempts ?? DEFAULT_PARTNER_MAX_ATTEMPTS;
  const backoff = options.backoff ?? DEFAULT_PARTNER_BACKOFF;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const jitter = backoff.jitter ?? 0.5;
  // One attempt per call: the schedule between attempts lives in the row, not in this process.
  const deliverer = createWebhookDeliverer({
    maxAttempts: 1,
    backoff,
    timeoutMs,
    now,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  const started = now();
  const leaseUntil = new Date(started.getTime() + timeoutMs * 2 + 1000).toISOString();
  const claimed = await options.store.transaction(async (tx) => {
    // SKIP LOCKED: a second server running the worker at the same moment takes other rows.
    const rows = await tx.query<DueRow>(
      `SELECT id, partner_id, payload, attempts, retry_base FROM partner_deliveries
       WHERE status = 'pending' AND next_attempt_at <= $1
       ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [started.toISOString(), options.batchSize ?? 50],
    );
    for (const row of rows) {
      await tx.query('UPDATE partner_deliveries SET next_attempt_at = $2 WHERE id = $1', [row.id, leaseUntil]);
    }
    return rows;
  });

  let delivered = 0;
  let failed = 0;
  let attempted = 0;
  for (const row of claimed) {
    const at = now().toISOString();
    const recipient = findRecipient(options.policy, row.partner_id);
    if (recipient?.audited !== true) {
      await block(
        options.store,
        row.id,
        recipient
          ? `recipient "${row.partner_id}" is no longer marked audited in policy ${options.policy.id}@${options.policy.version}; nothing was sent`
          : `"${row.partner_id}" is no longer a recipient in policy ${options.policy.id}@${options.policy.version}; nothing was sent`,
        at,
      );
      failed++;
      continue;
    }
    const credentials = await options.registry.credentials(options.store, row.partner_id);
    if (!credentials || credentials.secrets.length === 0) {
      await block(
        options.store,
        row.id,
        `partner "${row.partner_id}" was removed from the registry; nothing was sent`,
        at,
      );
      failed++;
      continue;
    }
    const event = JSON.parse(row.payload) as WebhookEvent;
    const result = await deliverer.deliver({ url: credentials.endpoint, secret: credentials.secrets, event });
    const attempt = result.log[0];
    if (!attempt) throw new ConsentError('internal', 'the webhook deliverer returned no attempt');
    attempted++;
    const done = now();
    const used = Number(row.attempts) + 1 - Number(row.retry_base);
    let status: 'pending' | 'delivered' | 'failed' = 'pending';
    let nextAttemptAt = done.toISOString();
    if (result.delivered) status = 'delivered';
    else if (result.gaveUp === 'rejected' || used >= maxAttempts) status = 'failed';
    else {
      const wait = backoffDelay({ ...backoff, attempt: used, jitter, random });
      nextAttemptAt = new Date(done.getTime() + wait).toISOString();
    }
    if (status === 'delivered') delivered++;
    if (status === 'failed') failed++;
    await options.store.transaction((tx) =>
      recordAttempt(tx, row, attempt, { status, nextAttemptAt, at: done.toISOString() }),
    );
  }
  return { attempted, delivered, failed };
}
