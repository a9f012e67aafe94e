import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { type Authenticity, forged, isFresh, stale } from './provider-auth.js';
import type { ProviderEvent, ProviderEventKind } from './provider-events.js';

/**
 * Mailgun's webhooks. Authenticity, as Mailgun's "Securing Webhooks" documents it: the JSON body's
 * `signature` object holds `timestamp`, `token` and `signature`, the hex HMAC-SHA-256 of timestamp
 * and token concatenated, keyed with the HTTP webhook signing key. The event is `event-data`, with
 * its own `id`.
 */
export type MailgunOptions = {
  /** Sending → Webhooks → HTTP webhook signing key. */
  readonly signingKey: string;
};

type MailgunBody = {
  signature?: { timestamp?: unknown; token?: unknown; signature?: unknown };
  'event-data'?: { id?: unknown; event?: unknown; recipient?: unknown; timestamp?: unknown; severity?: unknown };
};

export function parseMailgunBody(body: string): MailgunBody | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as MailgunBody)
      : undefined;
  } catch {
    return undefined;
  }
}

export function verifyMailgun(options: MailgunOptions, body: MailgunBody, now: Date): Authenticity {
  const sig = body.signature;
  if (
    typeof sig?.timestamp !== 'string' ||
    typeof sig.token !== 'string' ||
    typeof sig.signature !== 'string' ||
    !/^[0-9a-f]{64}$/i.test(sig.signature)
  ) {
    return forged('the body has no Mailgun signature object (timestamp, token, signature)');
  }
  const expected = createHmac('sha256', options.signingKey)
    .update(sig.timestamp + sig.token)
    .digest();
  if (!timingSafeEqual(expected, Buffer.from(sig.signature, 'hex'))) {
    return forged('the Mailgun signature does not verify with the configured signing key');
  }
  if (!isFresh(Number(sig.timestamp), now)) return stale('the Mailgun timestamp');
  return { ok: true };
}

/** The signature's one-time token, hashed: what the ledger remembers to refuse its reuse. */
export const mailgunTokenHash = (body: MailgunBody) =>
  createHash('sha256')
    .update(String(body.signature?.token ?? ''))
    .digest('hex');

const KINDS: Record<string, ProviderEventKind> = {
  unsubscribed: 'unsubscribe',
  complained: 'complaint',
  failed: 'bounce',
};

export function mailgunEvent(body: MailgunBody): ProviderEvent | undefined {
  const data = body['event-data'];
  if (typeof data?.id !== 'string' || typeof data.event !== 'string') return undefined;
  return {
    provider: 'mailgun',
    eventId: data.id,
    type: data.event,
    kind: KINDS[data.event] ?? 'other',
    email: typeof data.recipient === 'string' ? data.recipient : null,
    occurredAt: typeof data.timestamp === 'number' ? new Date(data.timestamp * 1000).toISOString() : null,
  };
}
