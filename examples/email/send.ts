/**
 * Sends the AllStream marketing email to one person with one-click unsubscribe.
 *
 *   node --import tsx --conditions=@consentkit/source examples/email/send.ts --to ada@example.com [--name Ada]
 *        [--purpose marketing] [--lang fr] [--ledger http://127.0.0.1:8787 --api-key …] [--eml out.eml] [--smtp-port 2525]
 *
 * It gets the person's unsubscribe and preference links and the RFC 8058 header values from the
 * server's list-unsubscribe function: over HTTP from a running ledger (`--ledger` /
 * CONSENTKIT_LEDGER_URL with the admin key `--api-key` / CONSENTKIT_API_KEY: POST /v1/links), or,
 * without `--ledger`, by opening the ledger's store with the same environment as `pnpm start`.
 * `--lang` is the recipient's language: the footer's words come in it and the links open the pages
 * in it (docs/languages.md). Then it renders the templates, signs with DKIM (a key generated now; its DNS record is printed),
 * and either delivers to a local SMTP sink it starts (and prints what arrived) or, with --eml,
 * writes the message to a file you can open in a mail client.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createUnsubscribeLinker, loadConfig, openServer, type UnsubscribeLinks } from '@consentkit/server';
import { generateDkimKey, headerValue, verifyDkim } from './dkim.js';
import { composeMarketingEmail, fetchLinks, renderEml, sendOverSmtp } from './mailer.js';
import { startSmtpSink } from './smtp-sink.js';

const { values } = parseArgs({
  options: {
    to: { type: 'string' },
    name: { type: 'string', default: 'there' },
    purpose: { type: 'string', default: 'marketing' },
    lang: { type: 'string' },
    from: { type: 'string', default: 'AllStream <offers@news.allstream.example>' },
    eml: { type: 'string' },
    'smtp-port': { type: 'string', default: '0' },
    ledger: { type: 'string', default: process.env.CONSENTKIT_LEDGER_URL },
    'api-key': { type: 'string', default: process.env.CONSENTKIT_API_KEY },
    help: { type: 'boolean', default: false },
  },
});

if (values.help || !values.to) {
  console.log(
    'usage: node --import tsx --conditions=@consentkit/source examples/email/send.ts --to <email> [--name <name>] [--purpose marketing|*] [--lang <tag>] [--ledger <url> --api-key <key>] [--eml <file>] [--smtp-port <port>]',
  );
  process.exit(values.help ? 0 : 1);
}
const to = values.to;

/** The links, from a running ledger over HTTP, else from the ledger's store opened here. */
async function linksFor(email: string, purpose: string): Promise<UnsubscribeLinks> {
  if (values.ledger) {
    if (!values['api-key']) throw new Error('--ledger needs the admin key: --api-key or CONSENTKIT_API_KEY');
    return fetchLinks({ ledgerUrl: values.ledger, apiKey: values['api-key'], email, purpose, lang: values.lang });
  }
  // With the embedded PGlite store only one process may open the data folder: stop `pnpm start`
  // first (or point both at PostgreSQL with DATABASE_URL), or use --ledger.
  const config = loadConfig();
  const ledger = await openServer(config);
  try {
    return await createUnsubscribeLinker({
      context: ledger.context,
      publicUrl: ledger.publicUrl,
      mailto: config.unsubscribeMailto ?? 'unsubscribe@news.allstream.example',
    }).linksFor({ email, purpose, lang: values.lang });
  } finally {
    await ledger.close();
  }
}

const links = await linksFor(to, values.purpose);
const dkim = generateDkimKey({ domainName: 'news.allstream.example', keySelector: 'ck2026' });
const message = composeMarketingEmail({ from: values.from, to, name: values.name, links, dkim });
console.log(`unsubscribe: ${links.unsubscribeUrl}\npreferences: ${links.preferencesUrl}`);
console.log(`DKIM public key (publish in DNS):\n  ${dkim.dnsRecord}`);

let raw: string;
if (values.eml) {
  const bytes = await renderEml(message);
  writeFileSync(values.eml, bytes);
  raw = bytes.toString('utf8');
  console.log(`wrote ${values.eml} (${bytes.length} bytes)`);
} else {
  const sink = await startSmtpSink({ port: Number(values['smtp-port']) });
  try {
    await sendOverSmtp(message, sink);
    raw = (await sink.waitFor(1)).raw;
    console.log(`delivered to the SMTP sink on ${sink.host}:${sink.port}`);
  } finally {
    await sink.close();
  }
}
const dkimResult = verifyDkim(raw, dkim.publicKey);
console.log(`List-Unsubscribe: ${headerValue(raw, 'List-Unsubscribe')}`);
console.log(`List-Unsubscribe-Post: ${headerValue(raw, 'List-Unsubscribe-Post')}`);
console.log(
  dkimResult.ok
    ? `DKIM: pass (d=${dkimResult.domain}, h=${dkimResult.signedHeaders.join(':')})`
    : `DKIM: FAIL (${dkimResult.reason})`,
);
if (!dkimResult.ok) process.exitCode = 1;
