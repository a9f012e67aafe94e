import { verify, X509Certificate } from 'node:crypto';
import { type Authenticity, forged, isFresh, stale } from './provider-auth.js';
import type { ProviderEvent } from './provider-events.js';

/**
 * Amazon SES events, delivered through an Amazon SNS topic to an HTTPS subscription.
 * Authenticity, as "Verifying the signatures of Amazon SNS messages" documents it: the string to
 * sign is `Name\nvalue\n` for a fixed list of fields in a fixed order (Notification: Message,
 * MessageId, Subject if present, Timestamp, TopicArn, Type; the confirmations: Message, MessageId,
 * SubscribeURL, Timestamp, Token, TopicArn, Type), signed RSA-SHA1 (SignatureVersion 1) or
 * RSA-SHA256 (2) with the key of the certificate at SigningCertURL. That URL is only trusted on
 * https://sns.<region>.amazonaws.com(.cn)/…pem, and the TopicArn must be one configured here.
 */
export type SesOptions = {
  /** The SNS topics SES publishes to; any other topic is refused. */
  readonly topicArns: readonly string[];
  /** Fetches a certificate (PEM) or a confirmation URL; injectable so tests need no network. */
  readonly fetch?: (url: string) => Promise<Response>;
};

/** SNS retries the same signed message for up to an hour with a custom delivery policy. */
const SNS_MAX_AGE_SECONDS = 60 * 60;

const SNS_HOST = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

/** True for https://sns.<region>.amazonaws.com/<anything>.pem and nothing else. */
export function isSnsUrl(text: string, kind: 'certificate' | 'confirmation'): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.port !== '' || url.username !== '' || url.password !== '') return false;
  if (!SNS_HOST.test(url.hostname)) return false;
  return kind === 'certificate' ? url.pathname.endsWith('.pem') && url.search === '' : true;
}

export type SnsMessage = Readonly<Record<string, unknown>>;

export function parseSns(body: string): SnsMessage | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as SnsMessage) : undefined;
  } catch {
    return undefined;
  }
}

const FIELDS: Record<string, readonly string[]> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
  UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
};

/** The exact bytes SNS signed; undefined when a required field is missing. */
export function snsStringToSign(message: SnsMessage): string | undefined {
  const fields = FIELDS[String(message.Type)];
  if (!fields) return undefined;
  let text = '';
  for (const field of fields) {
    const value = message[field];
    if (value === undefined && field === 'Subject') continue;
    if (typeof value !== 'string') return undefined;
    text += `${field}\n${value}\n`;
  }
  return text;
}

export function createSnsVerifier(options: SesOptions) {
  const get = options.fetch ?? ((url: string) => fetch(url, { redirect: 'error' }));
  const certificates = new Map<string, X509Certificate>();

  async function certificate(url: string): Promise<X509Certificate | undefined> {
    const cached = certificates.get(url);
    if (cached) return cached;
    try {
      const response = await get(url);
      if (!response.ok) return undefined;
      const cert = new X509Certificate(await response.text());
      certificates.set(url, cert);
      return cert;
    } catch {
      return undefined;
    }
  }

  return {
    async verify(message: SnsMessage, now: Date): Promise<Authenticity> {
      const topic = message.TopicArn;
      if (typeof topic !== 'string' || !options.topicArns.includes(topic)) {
        return forged('the TopicArn is not one of the configured SES topics');
      }
      const toSign = snsStringToSign(message);
      if (toSign === undefined) return forged('the message lacks a field SNS signs, or has an unknown Type');
      const version = String(message.SignatureVersion);
      if (version !== '1' && version !== '2') return forged('SignatureVersion must be 1 or 2');
      const url = message.SigningCertURL;
      if (typeof url !== 'string' || !isSnsUrl(url, 'certificate')) {
        return forged('SigningCertURL is not an https://sns.<region>.amazonaws.com/….pem URL');
      }
      const signature = message.Signature;
      if (typeof signature !== 'string') return forged('the message has no Signature');
      const cert = await certificate(url);
      if (!cert) return forged('the signing certificate could not be fetched or read');
      const at = now.getTime();
      if (Date.parse(cert.validFrom) > at || Date.parse(cert.validTo) < at) {
        return forged('the signing certificate is not valid now');
      }
      let ok = false;
      try {
        ok = verify(
          version === '1' ? 'sha1' : 'sha256',
          Buffer.from(toSign, 'utf8'),
          cert.publicKey,
          Buffer.from(signature, 'base64'),
        );
      } catch {
        ok = false;
      }
      if (!ok) return forged('the SNS signature does not verify with the certificate at SigningCertURL');
      const sent = Date.parse(String(message.Timestamp)) / 1000;
      if (!isFresh(sent, now, SNS_MAX_AGE_SECONDS)) return stale('the SNS Timestamp');
      return { ok: true };
    },
    /** Confirms a verified SubscriptionConfirmation by visiting its SubscribeURL (an SNS host only). */
    async confirm(message: SnsMessage): Promise<boolean> {
      const url = message.SubscribeURL;
      if (typeof url !== 'string' || !isSnsUrl(url, 'confirmation')) return false;
      try {
        return (await get(url)).ok;
      } catch {
        return false;
      }
    },
  };
}

type SesMessage = {
  notificationType?: unknown;
  eventType?: unknown;
  mail?: { destination?: unknown; messageId?: unknown };
  complaint?: { complainedRecipients?: unknown; feedbackId?: unknown; timestamp?: unknown };
  subscription?: {
    timestamp?: unknown;
    newTopicPreferences?: { unsubscribeAll?: unknown; topicSubscriptionStatus?: unknown };
  };
};

const addresses = (list: unknown): string[] =>
  Array.isArray(list)
    ? list.flatMap((r: unknown) => {
        if (typeof r === 'string') return [r];
        const address = (r as { emailAddress?: unknown } | null)?.emailAddress;
        return typeof address === 'string' ? [address] : [];
      })
    : [];

/**
 * The SES events in a verified Notification: complaints (per complained recipient), subscription
 * changes that unsubscribe from everything (SES list management), and anything else (bounces,
 * deliveries) as not consent events. Ids: the SNS MessageId with the recipient's position.
 */
export function sesEvents(message: SnsMessage): ProviderEvent[] | undefined {
  if (typeof message.Message !== 'string' || typeof message.MessageId !== 'string') return undefined;
  let ses: SesMessage;
  try {
    ses = JSON.parse(message.Message) as SesMessage;
  } catch {
    return undefined;
  }
  if (typeof ses !== 'object' || ses === null) return undefined;
  const type = String(ses.eventType ?? ses.notificationType ?? 'unknown');
  const id = message.MessageId;
  const at = typeof message.Timestamp === 'string' ? message.Timestamp : null;
  const event = (i: number, email: string | null, kind: ProviderEvent['kind']): ProviderEvent => ({
    provider: 'ses',
    eventId: `${id}:${i}`,
    type,
    kind,
    email,
    occurredAt: at,
  });
  if (type === 'Complaint') {
    const list = addresses(ses.complaint?.complainedRecipients);
    return list.length === 0 ? [event(0, null, 'complaint')] : list.map((email, i) => event(i, email, 'complaint'));
  }
  const destination = addresses(ses.mail?.destination);
  if (type === 'Subscription') {
    const prefs = ses.subscription?.newTopicPreferences;
    const topics = Array.isArray(prefs?.topicSubscriptionStatus) ? (prefs.topicSubscriptionStatus as unknown[]) : [];
    const optedOutOfTopic = topics.some(
      (t) => (t as { subscriptionStatus?: unknown } | null)?.subscriptionStatus === 'OptOut',
    );
    // Subscribing (OptIn) is not an opt-out; the ledger takes grants only from the person's own act.
    const kind = prefs?.unsubscribeAll === true ? 'unsubscribe' : optedOutOfTopic ? 'group-unsubscribe' : 'other';
    return destination.map((email, i) => event(i, email, kind));
  }
  const kind = type === 'Bounce' ? 'bounce' : 'other';
  return destination.length === 0 ? [event(0, null, kind)] : destination.map((email, i) => event(i, email, kind));
}
