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
import type { UnsubscribeLinks } from '@consentkit/server';
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
}): Promise<UnsubscribeLinks> {
  const response = await fetch(`${input.ledgerUrl.replace(/\/+$/, '')}/v1/links`, {
    method: 'POST',
    headers: { authorization: `Bearer ${input.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ email: input.email, purpose: input.purpose }),
  });
  if (!response.ok) throw new Error(`POST /v1/links answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as UnsubscribeLinks;
}

/** The HTML and text bodies for one person. */
export function renderMarketingEmail(input: {
  readonly name: string;
  readonly subject: string;
  readonly links: Pick<UnsubscribeLinks, 'unsubscribeUrl' | 'preferencesUrl'>;
}): { html: string; text: string } {
  const values = {
    name: input.name,
    subject: input.subject,
    unsubscribeUrl: input.links.unsubscribeUrl,
    preferencesUrl: input.links.preferencesUrl,
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
  readonly links: Pick<UnsubscribeLinks, 'unsubscribeUrl' | 'preferencesUrl'> & {
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
