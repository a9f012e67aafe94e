import { createHash } from 'node:crypto';
import { type Authenticity, forged, sameSecret } from './provider-auth.js';
import type { ProviderEvent } from './provider-events.js';

/**
 * Postmark's webhooks. Postmark signs nothing; its documented protections are HTTP basic auth
 * credentials in the webhook URL (`https://user:password@…`) and custom headers set on the
 * webhook. Either or both can be configured; every one configured must match (constant time).
 * Postmark sends no timestamp it vouches for, so replays are stopped by the event id alone.
 */
export type PostmarkOptions = {
  readonly username?: string;
  readonly password?: string;
  /** A secret sent in a custom header (`X-Consentkit-Token` unless `tokenHeader`). */
  readonly token?: string;
  readonly tokenHeader?: string;
};

export const POSTMARK_TOKEN_HEADER = 'x-consentkit-token';

export function verifyPostmark(
  options: PostmarkOptions,
  headers: { readonly authorization: string | undefined; readonly token: string | undefined },
): Authenticity {
  const basic = options.username !== undefined && options.password !== undefined;
  if (!basic && options.token === undefined)
    return forged('Postmark is configured with neither basic auth nor a token');
  if (basic) {
    const given = /^Basic\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
    const decoded = given === undefined ? '' : Buffer.from(given, 'base64').toString('utf8');
    if (!sameSecret(decoded, `${options.username}:${options.password}`)) {
      return forged('the basic auth credentials are missing or wrong');
    }
  }
  if (options.token !== undefined && !sameSecret(headers.token ?? '', options.token)) {
    return forged('the webhook token header is missing or wrong');
  }
  return { ok: true };
}

type PostmarkBody = {
  RecordType?: unknown;
  ID?: unknown;
  MessageID?: unknown;
  Recipient?: unknown;
  Email?: unknown;
  ChangedAt?: unknown;
  BouncedAt?: unknown;
  SuppressSending?: unknown;
  SuppressionReason?: unknown;
  Type?: unknown;
};

/**
 * SubscriptionChange with SuppressSending true is an unsubscribe (reason ManualSuppression) or a
 * complaint (SpamComplaint); a HardBounce suppression, a Bounce and a re-activation are not consent
 * events. SpamComplaint records are complaints. Postmark gives SubscriptionChange no id of its
 * own: the id is a digest of what identifies it (type, message, recipient, time).
 */
export function parsePostmark(body: string): ProviderEvent | undefined {
  let data: PostmarkBody;
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    data = parsed as PostmarkBody;
  } catch {
    return undefined;
  }
  if (typeof data.RecordType !== 'string') return undefined;
  const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
  const email = str(data.Recipient) || str(data.Email) || null;
  const at = str(data.ChangedAt) || str(data.BouncedAt) || null;
  const id =
    data.ID !== undefined
      ? `${data.RecordType}:${str(data.ID)}`
      : `${data.RecordType}:${createHash('sha256')
          .update(JSON.stringify([str(data.MessageID), email, at, data.SuppressSending === true]))
          .digest('hex')}`;
  let kind: ProviderEvent['kind'] = 'other';
  if (data.RecordType === 'SpamComplaint') kind = 'complaint';
  else if (data.RecordType === 'Bounce') kind = 'bounce';
  else if (data.RecordType === 'SubscriptionChange' && data.SuppressSending === true) {
    kind =
      data.SuppressionReason === 'SpamComplaint'
        ? 'complaint'
        : data.SuppressionReason === 'ManualSuppression'
          ? 'unsubscribe'
          : 'bounce';
  }
  const type =
    data.RecordType === 'SubscriptionChange'
      ? `SubscriptionChange:${str(data.SuppressionReason) || 'reactivated'}`
      : data.RecordType;
  return { provider: 'postmark', eventId: id, type, kind, email, occurredAt: at };
}
