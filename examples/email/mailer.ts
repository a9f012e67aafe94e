/**
 * The marketing email, rendered from the templates with the person's unsubscribe and preference
 * links, and sent with the RFC 8058 headers exactly as the ledger's list-unsubscribe function
 * formats them (`List-Unsubscribe: <https://…/u/{opaque}>, <mailto:…>` and
 * `List-Unsubscribe-Post: List-Unsubscribe=One-Click`), DKIM-signed with both in `h=` (R39, R40).
 * The headers are added before signing, by the same nodemailer call: a relay adding them after
 * the signature would make one-click invalid.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type EmailFooter, emailFooter, type UnsubscribeLinks } from '@consentkit/server';
import nodemailer from 'nodemailer';
import type { DkimKey } from './dkim.js';

const TEMPLATES = join(import.meta.dirname, 'templates');

/** Headers DKIM signs. Both List-Unsubscribe headers must be covered for one-click (RFC 8058 §4). */
export const DKIM_SIGNED_HEADERS = [
  'From',
  'To',
  'Subject',
  'Date',
  'Message-ID',
  'MIME-Version',
  'Content-Type',
  'List-Id',
  'List-Unsubscribe',
  'List-Unsubscribe-Post',
] as const;

export type MarketingEmail = {
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly headers: Record<string, string>;
  readonly dkim: { domainName: string; keySelector: string; privateKey: string; headerFieldNames: string };
};

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole);
}

/**
 * The person's links and headers from a running ledger: `POST /v1/links` (admin API key), which
 * answers with the server's list-unsubscribe function — so a sender needs no access to the store.
 */
export async function fetchLinks(input: {
  readonly ledgerUrl: string;
  readonly apiKey: string;
  readonly email: string;
  readonly purpose: string;
  /** The recipient's language (e.g. `fr`, `pt-BR`): the footer's words and the pages the links open. */
  readonly lang?: string | undefined;
}): Promise<UnsubscribeLinks> {
  const response = await fetch(`${input.ledgerUrl.replace(/\/+$/, '')}/v1/links`, {
    method: 'POST',
    headers: { authorization: `Bearer ${input.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      email: input.email,
      purpose: input.purpose,
      ...(input.lang === undefined ? {} : { lang: input.lang }),
    }),
  });
  if (!response.ok) throw new Error(`POST /v1/links answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as UnsubscribeLinks;
}

/** Links as the ledger gives them; `footer` (its words in the recipient's language) when it gave them. */
export type MailLinks = Pick<UnsubscribeLinks, 'unsubscribeUrl' | 'preferencesUrl'> & {
  readonly footer?: EmailFooter | undefined;
};

/**
 * The HTML and text bodies for one person. The marketing copy is the sender's own (English here);
 * the footer under it (who sent it, unsubscribe, preferences) is the ledger's, in the recipient's
 * language: from POST /v1/links with `lang`, or `emailFooter()` for a language the sender knows.
 */
export function renderMarketingEmail(input: {
  readonly name: string;
  readonly subject: string;
  readonly links: MailLinks;
}): { html: string; text: string } {
  const footer = input.links.footer ?? emailFooter({ locale: 'en', organisation: 'AllStream' });
  const values = {
    name: input.name,
    subject: input.subject,
    unsubscribeUrl: input.links.unsubscribeUrl,
    preferencesUrl: input.links.preferencesUrl,
    footerLang: footer.lang,
    footerDir: footer.dir,
    footerSentBy: footer.sentBy,
    footerUnsubscribe: footer.unsubscribe,
    footerPreferences: footer.preferences,
  };
  const escaped = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, escapeHtml(v)]));
  return {
    html: fill(readFileSync(join(TEMPLATES, 'marketing.html'), 'utf8'), escaped),
    text: fill(readFileSync(join(TEMPLATES, 'marketing.txt'), 'utf8'), values),
  };
}

/**
 * The nodemailer message: bodies, the ledger's List-Unsubscribe headers, a List-Id, DKIM. Links
 * without `headers` leave the List-Unsubscribe headers to the sender's guard, whose nodemailer
 * plugin adds the same ledger values before the message is built and signed (campaign.ts).
 */
export function composeMarketingEmail(input: {
  readonly from: string;
  readonly to: string;
  readonly name: string;
  readonly links: MailLinks & {
    readonly headers?: UnsubscribeLinks['headers'];
  };
  readonly dkim: DkimKey;
  readonly subject?: string;
}): MarketingEmail {
  const subject = input.subject ?? 'Faster fibre for your business';
  const { html, text } = renderMarketingEmail({ name: input.name, subject, links: input.links });
  return {
    from: input.from,
    to: input.to,
    subject,
    html,
    text,
    headers: {
      // One List-Id per list keeps marketing apart from transactional mail (Gmail guidelines, R43).
      'List-Id': `AllStream offers <offers.${input.dkim.domainName}>`,
      ...(input.links.headers ?? {}),
    },
    dkim: {
      domainName: input.dkim.domainName,
      keySelector: input.dkim.keySelector,
      privateKey: input.dkim.privateKey,
      headerFieldNames: DKIM_SIGNED_HEADERS.join(':'),
    },
  };
}

/** Delivers over SMTP (no TLS: the example's sink listens on loopback only). */
export async function sendOverSmtp(message: MarketingEmail, smtp: { host: string; port: number }): Promise<string> {
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: false,
    ignoreTLS: true,
  });
  try {
    const info = await transport.sendMail(message);
    return String(info.messageId);
  } finally {
    transport.close();
  }
}

/** The signed message as RFC 5322 bytes (what `--eml` writes). */
export async function renderEml(message: MarketingEmail): Promise<Buffer> {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const info = await transport.sendMail(message);
  const raw: unknown = info.message;
  if (!Buffer.isBuffer(raw)) throw new Error('nodemailer did not return the message as a buffer');
  return raw;
}
