import { createHmac, generateKeyPairSync, KeyObject, randomBytes, randomUUID, sign, webcrypto } from 'node:crypto';
// @peculiar/x509 needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import type { ProvidersOptions } from '../../src/providers/providers-routes.js';

/**
 * Each email provider as its documentation describes it, for the webhook suites: test keys made
 * the way the provider makes them, and requests shaped and signed (or authenticated) exactly as
 * the provider sends them. `forge` authenticates with another key or secret; `tamper` changes
 * the recipient under the original signature.
 */
export type KitEvent = { readonly kind: 'unsubscribe' | 'group' | 'complaint' | 'bounce'; readonly email: string };

export type KitRequest = { readonly path: string; readonly headers: Record<string, string>; readonly body: string };

export type ProviderKit = {
  readonly name: 'sendgrid' | 'mailgun' | 'postmark' | 'ses';
  /** What the ledger is configured with (the provider's public key or shared secret). */
  readonly options: ProvidersOptions;
  /** One request carrying `events` (providers that post one event per request take the first). */
  request(events: readonly KitEvent[], at?: Date): Promise<KitRequest>;
  /** The same request authenticated with a key or secret the ledger was not given. */
  forge(events: readonly KitEvent[]): Promise<KitRequest>;
  /** Whether the provider signs a timestamp the ledger can hold against replays. */
  readonly signsTime: boolean;
  /** How many events one request carries. */
  readonly batch: boolean;
};

const seconds = (at: Date) => Math.floor(at.getTime() / 1000);

export function sendGridKit(): ProviderKit {
  // SendGrid: an ECDSA P-256 key pair; the Mail Settings page shows the public key as base64 DER.
  const pair = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const real = pair();
  const other = pair();
  const verificationKey = real.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
  const EVENTS = { unsubscribe: 'unsubscribe', group: 'group_unsubscribe', complaint: 'spamreport', bounce: 'bounce' };
  const build = async (events: readonly KitEvent[], key: KeyObject, at = new Date()): Promise<KitRequest> => {
    const body = JSON.stringify(
      events.map((e) => ({
        email: e.email,
        timestamp: seconds(at),
        'smtp-id': `<${randomUUID()}@ismtpd-555>`,
        event: EVENTS[e.kind],
        category: ['newsletter'],
        sg_event_id: randomBytes(16).toString('base64url'),
        sg_message_id: `${randomBytes(11).toString('base64url')}.filterdrecv-1-2-3`,
        ...(e.kind === 'group' ? { asm_group_id: 10 } : {}),
        ...(e.kind === 'bounce' ? { reason: '550 5.1.1 unknown user', status: '5.1.1', type: 'bounce' } : {}),
      })),
    );
    const timestamp = String(seconds(at));
    const signature = sign('sha256', Buffer.from(timestamp + body), key).toString('base64');
    return {
      path: '/v1/providers/sendgrid',
      headers: {
        'content-type': 'application/json',
        'x-twilio-email-event-webhook-signature': signature,
        'x-twilio-email-event-webhook-timestamp': timestamp,
      },
      body,
    };
  };
  return {
    name: 'sendgrid',
    options: { sendgrid: { verificationKey } },
    request: (events, at) => build(events, real.privateKey, at),
    forge: (events) => build(events, other.privateKey),
    signsTime: true,
    batch: true,
  };
}

export function mailgunKit(): ProviderKit {
  const signingKey = `key-${randomBytes(16).toString('hex')}`;
  const EVENTS = { unsubscribe: 'unsubscribed', group: 'unsubscribed', complaint: 'complained', bounce: 'failed' };
  const build = async (events: readonly KitEvent[], key: string, at = new Date()): Promise<KitRequest> => {
    const e = events[0] ?? { kind: 'unsubscribe', email: 'nobody@example.test' };
    const timestamp = String(seconds(at));
    const token = randomBytes(25).toString('hex'); // 50 characters, as Mailgun's
    const body = JSON.stringify({
      signature: {
        timestamp,
        token,
        signature: createHmac('sha256', key)
          .update(timestamp + token)
          .digest('hex'),
      },
      'event-data': {
        event: EVENTS[e.kind],
        id: randomBytes(16).toString('base64url'),
        timestamp: at.getTime() / 1000,
        'log-level': e.kind === 'bounce' ? 'error' : 'warn',
        recipient: e.email,
        'recipient-domain': e.email.split('@')[1],
        ...(e.kind === 'bounce' ? { severity: 'permanent', reason: 'bounce' } : {}),
        message: { headers: { 'message-id': `${randomUUID()}@mg.example.test` } },
        tags: ['newsletter'],
        'user-variables': {},
      },
    });
    return { path: '/v1/providers/mailgun', headers: { 'content-type': 'application/json' }, body };
  };
  return {
    name: 'mailgun',
    options: { mailgun: { signingKey } },
    request: (events, at) => build(events, signingKey, at),
    forge: (events) => build(events, `key-${randomBytes(16).toString('hex')}`),
    signsTime: true,
    batch: false,
  };
}

export function postmarkKit(): ProviderKit {
  const username = 'postmark';
  const password = randomBytes(18).toString('base64url');
  const build = async (events: readonly KitEvent[], secret: string, at = new Date()): Promise<KitRequest> => {
    const e = events[0] ?? { kind: 'unsubscribe', email: 'nobody@example.test' };
    const messageId = randomUUID();
    const body =
      e.kind === 'complaint' || e.kind === 'bounce'
        ? {
            RecordType: e.kind === 'complaint' ? 'SpamComplaint' : 'Bounce',
            MessageStream: 'outbound',
            ID: Math.floor(Math.random() * 2 ** 40),
            Type: e.kind === 'complaint' ? 'SpamComplaint' : 'HardBounce',
            TypeCode: e.kind === 'complaint' ? 512 : 1,
            Name: e.kind === 'complaint' ? 'Spam complaint' : 'Hard bounce',
            Tag: 'newsletter',
            MessageID: messageId,
            ServerID: 23,
            Description: '',
            Details: '',
            Email: e.email,
            From: 'news@allstream.example',
            BouncedAt: at.toISOString(),
            DumpAvailable: false,
            Inactive: true,
            CanActivate: true,
            Subject: 'News',
          }
        : {
            RecordType: 'SubscriptionChange',
            MessageID: messageId,
            ServerID: 23,
            MessageStream: 'outbound',
            ChangedAt: at.toISOString(),
            Recipient: e.email,
            Origin: 'Recipient',
            SuppressSending: true,
            SuppressionReason: 'ManualSuppression',
            Tag: 'newsletter',
            Metadata: {},
          };
    return {
      path: '/v1/providers/postmark',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${username}:${secret}`).toString('base64')}`,
      },
      body: JSON.stringify(body),
    };
  };
  return {
    name: 'postmark',
    options: { postmark: { username, password } },
    request: (events, at) => build(events, password, at),
    forge: (events) => build(events, randomBytes(18).toString('base64url')),
    signsTime: false,
    batch: false,
  };
}

const RSA = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};

/** A self-signed certificate for sns.amazonaws.com and its private key, as SNS's would be. */
async function snsCertificate() {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const keys = (await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(8).toString('hex'),
    name: 'CN=sns.amazonaws.com',
    notBefore: new Date(Date.now() - 86_400_000),
    notAfter: new Date(Date.now() + 86_400_000),
    signingAlgorithm: RSA,
    keys,
  });
  return { pem: cert.toString('pem'), key: KeyObject.from(keys.privateKey) };
}

export const SES_TOPIC = 'arn:aws:sns:us-east-1:123456789012:ses-consent-events';
export const SNS_CERT_URL = 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem';

export type SesKit = ProviderKit & {
  /** The URLs the ledger fetched (certificates, confirmations). */
  readonly fetched: string[];
  /** A message signed by the real key but naming `url` as its certificate. */
  withCertUrl(events: readonly KitEvent[], url: string): Promise<KitRequest>;
  /** A SubscriptionConfirmation as SNS sends it when the subscription is made. */
  confirmation(): Promise<KitRequest>;
};

export function sesKit(version: '1' | '2' = '2'): SesKit {
  // Made once, on first use: the options must exist before the suite's ledger does.
  let certs: Promise<[Awaited<ReturnType<typeof snsCertificate>>, Awaited<ReturnType<typeof snsCertificate>>]>;
  const keys = () => {
    certs ??= Promise.all([snsCertificate(), snsCertificate()]);
    return certs;
  };
  const fetched: string[] = [];
  const fetchCert = async (url: string) => {
    fetched.push(url);
    if (url === SNS_CERT_URL) return new Response((await keys())[0].pem, { status: 200 });
    if (url.startsWith('https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription')) {
      return new Response('<ConfirmSubscriptionResponse/>', { status: 200 });
    }
    return new Response('not found', { status: 404 });
  };
  const signMessage = (fields: Record<string, string>, key: KeyObject, certUrl: string) => {
    const order =
      fields.Type === 'Notification'
        ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
        : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
    const text = order
      .filter((f) => fields[f] !== undefined)
      .map((f) => `${f}\n${fields[f]}\n`)
      .join('');
    const signature = sign(version === '1' ? 'sha1' : 'sha256', Buffer.from(text), key).toString('base64');
    return JSON.stringify({ ...fields, SignatureVersion: version, Signature: signature, SigningCertURL: certUrl });
  };
  const sesMessage = (e: KitEvent, at: Date) => {
    const mail = {
      timestamp: at.toISOString(),
      source: 'news@allstream.example',
      sourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/allstream.example',
      messageId: `0100018c${randomBytes(12).toString('hex')}-000000`,
      destination: [e.email],
    };
    if (e.kind === 'complaint') {
      return {
        notificationType: 'Complaint',
        complaint: {
          feedbackId: `0100018c${randomBytes(8).toString('hex')}`,
          complaintSubType: null,
          complainedRecipients: [{ emailAddress: e.email }],
          timestamp: at.toISOString(),
          userAgent: 'Mail Provider',
          complaintFeedbackType: 'abuse',
        },
        mail,
      };
    }
    if (e.kind === 'bounce') {
      return {
        notificationType: 'Bounce',
        bounce: {
          bounceType: 'Permanent',
          bounceSubType: 'General',
          bouncedRecipients: [{ emailAddress: e.email, action: 'failed', status: '5.1.1' }],
          timestamp: at.toISOString(),
          feedbackId: `0100018c${randomBytes(8).toString('hex')}`,
        },
        mail,
      };
    }
    // SES list management (event publishing): a Subscription event.
    return {
      eventType: 'Subscription',
      mail,
      subscription: {
        contactList: 'newsletter',
        timestamp: at.toISOString(),
        source: 'UnsubscribeHeader',
        newTopicPreferences: {
          unsubscribeAll: e.kind === 'unsubscribe',
          topicSubscriptionStatus: [{ topicName: 'news', subscriptionStatus: 'OptOut' }],
        },
        oldTopicPreferences: {
          unsubscribeAll: false,
          topicSubscriptionStatus: [{ topicName: 'news', subscriptionStatus: 'OptIn' }],
        },
      },
    };
  };
  const build = async (events: readonly KitEvent[], key: KeyObject, at = new Date(), certUrl = SNS_CERT_URL) => {
    const e = events[0] ?? { kind: 'unsubscribe', email: 'nobody@example.test' };
    const body = signMessage(
      {
        Type: 'Notification',
        MessageId: randomUUID(),
        TopicArn: SES_TOPIC,
        Message: JSON.stringify(sesMessage(e, at)),
        Timestamp: at.toISOString(),
        UnsubscribeURL: `https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${SES_TOPIC}:${randomUUID()}`,
      },
      key,
      certUrl,
    );
    return {
      path: '/v1/providers/ses',
      headers: {
        'content-type': 'text/plain; charset=UTF-8',
        'x-amz-sns-message-type': 'Notification',
        'x-amz-sns-topic-arn': SES_TOPIC,
      },
      body,
    };
  };
  return {
    name: 'ses',
    options: { ses: { topicArns: [SES_TOPIC], fetch: fetchCert } },
    request: async (events, at) => build(events, (await keys())[0].key, at),
    forge: async (events) => build(events, (await keys())[1].key),
    withCertUrl: async (events, url) => build(events, (await keys())[0].key, new Date(), url),
    async confirmation() {
      const token = randomBytes(32).toString('hex');
      const body = signMessage(
        {
          Type: 'SubscriptionConfirmation',
          MessageId: randomUUID(),
          Token: token,
          TopicArn: SES_TOPIC,
          Message: `You have chosen to subscribe to the topic ${SES_TOPIC}.`,
          SubscribeURL: `https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${SES_TOPIC}&Token=${token}`,
          Timestamp: new Date().toISOString(),
        },
        (await keys())[0].key,
        SNS_CERT_URL,
      );
      return { path: '/v1/providers/ses', headers: { 'content-type': 'text/plain; charset=UTF-8' }, body };
    },
    signsTime: true,
    batch: false,
    fetched,
  };
}
