import { createPublicKey, verify } from 'node:crypto';
import { type Authenticity, forged, isFresh, stale } from './provider-auth.js';
import type { ProviderEvent, ProviderEventKind } from './provider-events.js';

/**
 * SendGrid's Event Webhook. Authenticity, as SendGrid's "Signed Event Webhook" documents it: an
 * ECDSA (P-256, SHA-256) signature, base64 DER, in `X-Twilio-Email-Event-Webhook-Signature`,
 * over the `X-Twilio-Email-Event-Webhook-Timestamp` header's value followed by the raw body,
 * verified with the verification key the Mail Settings page shows (base64 DER SubjectPublicKeyInfo).
 * The body is a JSON array of events; each carries `sg_event_id`.
 */
export const SENDGRID_SIGNATURE_HEADER = 'x-twilio-email-event-webhook-signature';
export const SENDGRID_TIMESTAMP_HEADER = 'x-twilio-email-event-webhook-timestamp';

export type SendGridOptions = {
  /** The verification key from Settings → Mail Settings → Event Webhook (base64 DER, or PEM). */
  readonly verificationKey: string;
};

function publicKeyOf(text: string) {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN')) return createPublicKey(trimmed);
  return createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' });
}

export function verifySendGrid(
  options: SendGridOptions,
  request: { readonly body: string; readonly signature: string | undefined; readonly timestamp: string | undefined },
  now: Date,
): Authenticity {
  if (!request.signature || !request.timestamp) {
    return forged(`the ${SENDGRID_SIGNATURE_HEADER} and ${SENDGRID_TIMESTAMP_HEADER} headers are required`);
  }
  let ok = false;
  try {
    ok = verify(
      'sha256',
      Buffer.from(request.timestamp + request.body, 'utf8'),
      { key: publicKeyOf(options.verificationKey), dsaEncoding: 'der' },
      Buffer.from(request.signature, 'base64'),
    );
  } catch {
    ok = false;
  }
  if (!ok) return forged('the SendGrid signature does not verify with the configured verification key');
  const seconds = Number(request.timestamp);
  if (!isFresh(seconds, now)) return stale('the SendGrid timestamp');
  return { ok: true };
}

const KINDS: Record<string, ProviderEventKind> = {
  unsubscribe: 'unsubscribe',
  group_unsubscribe: 'group-unsubscribe',
  spamreport: 'complaint',
  bounce: 'bounce',
  dropped: 'bounce',
  blocked: 'bounce',
};

type SendGridEvent = { email?: unknown; event?: unknown; sg_event_id?: unknown; timestamp?: unknown; type?: unknown };

/** The events of a verified body; undefined when it is not SendGrid's array of events. */
export function parseSendGrid(body: string): ProviderEvent[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  const events: ProviderEvent[] = [];
  for (const item of parsed as SendGridEvent[]) {
    if (typeof item !== 'object' || item === null) return undefined;
    if (typeof item.event !== 'string' || typeof item.sg_event_id !== 'string') return undefined;
    // A bounce event with type "blocked" is still a bounce: not a consent event either way.
    events.push({
      provider: 'sendgrid',
      eventId: item.sg_event_id,
      type: item.event,
      kind: KINDS[item.event] ?? 'other',
      email: typeof item.email === 'string' ? item.email : null,
      occurredAt: typeof item.timestamp === 'number' ? new Date(item.timestamp * 1000).toISOString() : null,
    });
  }
  return events;
}
