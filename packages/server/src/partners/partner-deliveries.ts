import { ConsentError } from '@consentkit/core';
import { z } from 'zod';
import type { Queryable } from '../platform/store/store.js';
import { PartnerError } from './partner-error.js';

/**
 * Reading the delivery queue and log (`consentkit partners deliveries`, GET /v1/partners/deliveries,
 * the admin dashboard) and re-queueing a failed delivery (`consentkit partners retry`).
 */
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const isDeliveryStatus = (value: string): value is DeliveryStatus =>
  (DELIVERY_STATUSES as readonly string[]).includes(value);

/** The webhook events a partner receives: a purpose it was told of is withdrawn or opted out of. */
export const PARTNER_EVENT_TYPES = ['consent.withdrawn', 'consent.opted-out'] as const;
export type PartnerEventType = (typeof PARTNER_EVENT_TYPES)[number];

/**
 * A delivery as the API answers it and the admin dashboard reads it (GET /v1/partners/deliveries);
 * the OpenAPI document and the PartnerDelivery type are both made from this schema.
 */
export const partnerDeliverySchema = z
  .object({
    id: z.string(),
    partner: z.string().describe('the recipient id in the policy'),
    eventType: z.enum(PARTNER_EVENT_TYPES),
    recordId: z.string(),
    purpose: z.string(),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number().int(),
    lastStatus: z.number().int().nullable().describe('HTTP status of the last attempt; null if no response'),
    lastError: z.string().nullable(),
    nextAttemptAt: z.string().nullable().describe('RFC 3339; null once delivered or failed'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'PartnerDelivery' });

export type PartnerDelivery = z.infer<typeof partnerDeliverySchema>;

export type DeliveryAttempt = {
  readonly attempt: number;
  readonly at: string;
  readonly status: number | null;
  readonly error: string | null;
  readonly durationMs: number;
};

type DeliveryRow = {
  id: string;
  partner_id: string;
  event_type: PartnerEventType;
  record_id: string;
  purpose: string;
  status: DeliveryStatus;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  next_attempt_at: string;
  created_at: string;
  updated_at: string;
};

const fromRow = (row: DeliveryRow): PartnerDelivery => ({
  id: row.id,
  partner: row.partner_id,
  eventType: row.event_type,
  recordId: row.record_id,
  purpose: row.purpose,
  status: row.status,
  attempts: Number(row.attempts),
  lastStatus: row.last_status === null ? null : Number(row.last_status),
  lastError: row.last_error,
  nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export type ListDeliveriesOptions = {
  /** One status, or several (the CLI's default is pending and failed). */
  readonly status?: DeliveryStatus | readonly DeliveryStatus[];
  readonly partner?: string;
  /** Default 100, at most 1000. */
  readonly limit?: number;
};

/** Newest first: the dashboard and the console both want the latest trouble on top. */
export async function listDeliveries(q: Queryable, options: ListDeliveriesOptions = {}): Promise<PartnerDelivery[]> {
  const statuses =
    options.status === undefined
      ? [...DELIVERY_STATUSES]
      : typeof options.status === 'string'
        ? [options.status]
        : [...options.status];
  const limit = Math.min(Math.max(1, options.limit ?? 100), 1000);
  const params: (string | number)[] = [limit];
  // Placeholders only: the statuses are checked against the union, but nothing is spliced into SQL.
  const statusSql = statuses.map((s) => {
    params.push(s);
    return `$${params.length}`;
  });
  let partnerSql = '';
  if (options.partner !== undefined) {
    params.push(options.partner);
    partnerSql = ` AND partner_id = $${params.length}`;
  }
  const rows = await q.query<DeliveryRow>(
    `SELECT id, partner_id, event_type, record_id, purpose, status, attempts, last_status, last_error, next_attempt_at, created_at, updated_at
     FROM partner_deliveries WHERE status IN (${statusSql.join(', ') || 'NULL'})${partnerSql}
     ORDER BY created_at DESC, id DESC LIMIT $1`,
    params,
  );
  return rows.map(fromRow);
}

export async function getDelivery(q: Queryable, id: string): Promise<PartnerDelivery | undefined> {
  const rows = await q.query<DeliveryRow>(
    `SELECT id, partner_id, event_type, record_id, purpose, status, attempts, last_status, last_error, next_attempt_at, created_at, updated_at
     FROM partner_deliveries WHERE id = $1`,
    [id],
  );
  return rows[0] ? fromRow(rows[0]) : undefined;
}

/** Every HTTP attempt for one delivery, oldest first. */
export async function deliveryAttempts(q: Queryable, id: string): Promise<DeliveryAttempt[]> {
  const rows = await q.query<{
    attempt: number;
    at: string;
    status: number | null;
    error: string | null;
    duration_ms: number;
  }>(
    'SELECT attempt, at, status, error, duration_ms FROM partner_delivery_attempts WHERE delivery_id = $1 ORDER BY attempt',
    [id],
  );
  return rows.map((r) => ({
    attempt: Number(r.attempt),
    at: r.at,
    status: r.status === null ? null : Number(r.status),
    error: r.error,
    durationMs: Number(r.duration_ms),
  }));
}

/**
 * Puts a failed delivery back in the queue, due now, with a fresh attempt budget (the attempt log
 * keeps counting, so the history is never rewritten). Only failed ones: a pending delivery is
 * already queued, and a delivered one must not be sent twice by hand.
 */
export async function retryDelivery(q: Queryable, id: string, now: Date = new Date()): Promise<PartnerDelivery> {
  const rows = await q.query<{ id: string }>(
    `UPDATE partner_deliveries SET status = 'pending', next_attempt_at = $2, updated_at = $2, retry_base = attempts
     WHERE id = $1 AND status = 'failed' RETURNING id`,
    [id, now.toISOString()],
  );
  if (rows.length === 0) {
    const existing = await getDelivery(q, id);
    if (!existing) {
      throw new PartnerError(
        'unknown-delivery',
        `no delivery with id ${id} (consentkit partners deliveries lists them)`,
      );
    }
    throw new PartnerError(
      'not-retryable',
      `delivery ${id} is ${existing.status}; only failed deliveries can be retried (pending ones are already queued)`,
    );
  }
  const updated = await getDelivery(q, id);
  if (!updated) throw new ConsentError('internal', 'the delivery vanished inside its own transaction');
  return updated;
}
