import { ConsentError } from '@consentkit/core';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { HttpError } from '../platform/http/errors.js';
import { type MailgunOptions, mailgunEvent, mailgunTokenHash, parseMailgunBody, verifyMailgun } from './mailgun.js';
import { POSTMARK_TOKEN_HEADER, type PostmarkOptions, parsePostmark, verifyPostmark } from './postmark.js';
import type { Authenticity } from './provider-auth.js';
import {
  type ProviderEvent,
  type ProviderEventsDeps,
  type ProviderTally,
  recordProviderEvents,
} from './provider-events.js';
import {
  parseSendGrid,
  SENDGRID_SIGNATURE_HEADER,
  SENDGRID_TIMESTAMP_HEADER,
  type SendGridOptions,
  verifySendGrid,
} from './sendgrid.js';
import { createSnsVerifier, parseSns, type SesOptions, sesEvents } from './ses-sns.js';

/** Each provider's secrets, from configuration; a provider left out has no webhook (404). */
export type ProvidersOptions = {
  readonly sendgrid?: SendGridOptions;
  readonly mailgun?: MailgunOptions;
  readonly postmark?: PostmarkOptions;
  readonly ses?: SesOptions;
  /** The purposes a provider's unsubscribe or complaint opts out of (default: every optional purpose). */
  readonly purposes?: readonly string[];
  /** The clock the timestamps are checked against (tests). */
  readonly now?: () => Date;
};

export type ProvidersRoutesOptions = Omit<ProviderEventsDeps, 'purposes'> & { readonly providers: ProvidersOptions };

/** Webhook bodies are small batches; a larger one is not from a provider. */
const MAX_BODY_BYTES = 1024 * 1024;

async function rawBody(c: Context): Promise<string> {
  const length = Number(c.req.header('content-length') ?? '0');
  if (length > MAX_BODY_BYTES) throw new HttpError(413, 'the webhook body is too large', { code: 'payload-too-large' });
  const text = await c.req.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) {
    throw new HttpError(413, 'the webhook body is too large', { code: 'payload-too-large' });
  }
  return text;
}

function refuse(auth: Authenticity): void {
  if (!auth.ok) throw new HttpError(401, `the webhook is not authentic: ${auth.why}`, { code: 'unauthorized' });
}

const notConfigured = (name: string) =>
  new HttpError(404, `the ${name} webhook is not configured on this ledger`, { code: 'not-found' });

const shapeError = (name: string) =>
  new HttpError(400, `the body is not a ${name} webhook payload as ${name} documents it`, { code: 'invalid-request' });

/**
 * POST /v1/providers/{sendgrid|ses|postmark|mailgun}: each provider's events into the ledger.
 * The body is read raw (signatures cover the exact bytes) and its authenticity checked before
 * anything is parsed for meaning or stored; a forged or stale request is a 401 that stores
 * nothing. The answer counts what became of each event (recorded, unchanged, new-subject,
 * ignored with its reason, replayed).
 */
export function createProvidersRoutes(options: ProvidersRoutesOptions): Hono {
  const app = new Hono();
  const { providers } = options;
  const now = providers.now ?? (() => new Date());
  const unknown = (providers.purposes ?? []).filter((p) => !options.policy.purposes.some((q) => q.id === p));
  if (unknown.length > 0) {
    // At start, not on a provider's request: a typo here must not turn every opt-out into an error.
    throw new ConsentError(
      'invalid-options',
      `CONSENTKIT_PROVIDER_PURPOSES names ${unknown.join(', ')}, not in policy ${options.policy.id}@${options.policy.version}`,
    );
  }
  const deps: ProviderEventsDeps = {
    store: options.store,
    keyring: options.keyring,
    ledger: options.ledger,
    subjects: options.subjects,
    policy: options.policy,
    ...(providers.purposes ? { purposes: providers.purposes } : {}),
  };
  const answer = (c: Context, tally: ProviderTally) => c.json({ ok: true, ...tally });
  const record = (events: readonly ProviderEvent[]) => recordProviderEvents(deps, events);

  app.post('/v1/providers/sendgrid', async (c) => {
    const config = providers.sendgrid;
    if (!config) throw notConfigured('SendGrid');
    const body = await rawBody(c);
    refuse(
      verifySendGrid(
        config,
        {
          body,
          signature: c.req.header(SENDGRID_SIGNATURE_HEADER),
          timestamp: c.req.header(SENDGRID_TIMESTAMP_HEADER),
        },
        now(),
      ),
    );
    const events = parseSendGrid(body);
    if (!events) throw shapeError('SendGrid');
    return answer(c, await record(events));
  });

  app.post('/v1/providers/mailgun', async (c) => {
    const config = providers.mailgun;
    if (!config) throw notConfigured('Mailgun');
    const body = parseMailgunBody(await rawBody(c));
    if (!body) throw shapeError('Mailgun');
    refuse(verifyMailgun(config, body, now()));
    const event = mailgunEvent(body);
    if (!event) throw shapeError('Mailgun');
    const token = mailgunTokenHash(body);
    // The same event again (Mailgun's retry) is answered as a counted replay; a used token on any
    // other event is a captured signature carrying something Mailgun never sent.
    const [used] = await options.store.query<{ token: number; event: number }>(
      `SELECT (SELECT count(*)::int FROM provider_tokens WHERE provider = 'mailgun' AND token_hash = $1) AS token,
              (SELECT count(*)::int FROM provider_events WHERE provider = 'mailgun' AND event_id = $2) AS event`,
      [token, event.eventId],
    );
    if (used && used.token > 0 && used.event === 0) {
      refuse({ ok: false, why: 'the Mailgun signature token was used before (a replayed signature)' });
    }
    const tally = await record([event]);
    // Remembered once the event is on file: a retry of a request that failed before that still works.
    await options.store.query(
      'INSERT INTO provider_tokens (provider, token_hash, seen_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      ['mailgun', token, new Date().toISOString()],
    );
    return answer(c, tally);
  });

  app.post('/v1/providers/postmark', async (c) => {
    const config = providers.postmark;
    if (!config) throw notConfigured('Postmark');
    refuse(
      verifyPostmark(config, {
        authorization: c.req.header('authorization'),
        token: c.req.header(config.tokenHeader ?? POSTMARK_TOKEN_HEADER),
      }),
    );
    const event = parsePostmark(await rawBody(c));
    if (!event) throw shapeError('Postmark');
    return answer(c, await record([event]));
  });

  const sns = providers.ses ? createSnsVerifier(providers.ses) : undefined;
  app.post('/v1/providers/ses', async (c) => {
    if (!sns) throw notConfigured('Amazon SES (SNS)');
    const message = parseSns(await rawBody(c));
    if (!message) throw shapeError('Amazon SNS');
    refuse(await sns.verify(message, now()));
    if (message.Type === 'SubscriptionConfirmation') {
      return c.json({ ok: true, confirmed: await sns.confirm(message) });
    }
    if (message.Type === 'UnsubscribeConfirmation') return c.json({ ok: true });
    const events = sesEvents(message);
    if (!events) throw shapeError('Amazon SES');
    return answer(c, await record(events));
  });
  return app;
}
