/**
 * A marketing campaign to a list, through the sender's guard (@consentkit/server/guard).
 *
 *   node --import tsx --conditions=@consentkit/source examples/email/campaign.ts --list people.txt \
 *        --ledger http://127.0.0.1:8787 [--api-key …] [--purpose marketing] [--json]
 *
 * The list is one address per line, optionally followed by the person's language (`ada@example.com fr`;
 * blank lines and lines starting with # are ignored): the mail's footer is in that language. The guard
 * asks the ledger about the whole list in bulk (POST /v1/senders/state, 1,000 a call) and splits it
 * into who may be mailed for the purpose and who is skipped, with the ledger's reason and the
 * record it rests on. Each allowed person gets the marketing email from a local SMTP sink the
 * script starts (nothing leaves the machine), sent by nodemailer with the guard's compile plugin:
 * it refuses the message if the person opted out since the check, and adds the ledger's
 * List-Unsubscribe and List-Unsubscribe-Post (RFC 8058) before the message is DKIM-signed.
 *
 * What it prints holds no more personal data than needed: counts by reason, then one line per
 * skipped person with the line of the list it came from, the address masked (a…@example.com), the
 * status, the reason and the record id. `--json` prints the same without any address.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { emailFooter, recipientLocale } from '@consentkit/server';
import { createSendGuard, guardPlugin, RecipientRefused } from '@consentkit/server/guard';
import nodemailer from 'nodemailer';
import { generateDkimKey } from './dkim.js';
import { composeMarketingEmail } from './mailer.js';
import { startSmtpSink } from './smtp-sink.js';

const USAGE =
  'usage: node --import tsx --conditions=@consentkit/source examples/email/campaign.ts --list <file> --ledger <url> [--api-key <key>] [--purpose marketing] [--json]';

const { values } = parseArgs({
  options: {
    list: { type: 'string' },
    ledger: { type: 'string', default: process.env.CONSENTKIT_LEDGER_URL },
    'api-key': { type: 'string', default: process.env.CONSENTKIT_API_KEY },
    purpose: { type: 'string', default: 'marketing' },
    from: { type: 'string', default: 'AllStream <offers@news.allstream.example>' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help || !values.list || !values.ledger || !values['api-key']) {
  console.error(values.help ? USAGE : `${USAGE}\n(--list, --ledger and an API key of scope read are needed)`);
  process.exit(values.help ? 0 : 2);
}

type Entry = { readonly line: number; readonly address: string; readonly lang: string | undefined };
type SkipLine = { readonly line: number; readonly status: string; readonly reason: string; readonly recordId?: string };

/** The list: one address per line, with the line number kept so a skip can be found in it. */
const entries: Entry[] = readFileSync(values.list, 'utf8')
  .split(/\r?\n/)
  .flatMap((text, i) => {
    const [address = '', lang] = text.trim().split(/\s+/);
    return address === '' || address.startsWith('#') ? [] : [{ line: i + 1, address, lang }];
  });

/** a…@example.com: enough for the operator to recognise a line, not the address itself. */
const mask = (address: string): string => {
  const at = address.lastIndexOf('@');
  return at <= 0 ? '(not an address)' : `${address.slice(0, 1)}…${address.slice(at)}`;
};

const guard = createSendGuard({ ledgerUrl: values.ledger, apiKey: values['api-key'], purpose: values.purpose });
const verdict = await guard.check(entries.map((e) => e.address));

// Lines by address as given (a list may name an address twice: each line is reported).
const linesOf = new Map<string, number[]>();
for (const e of entries) linesOf.set(e.address, [...(linesOf.get(e.address) ?? []), e.line]);
const skipped: SkipLine[] = [];
const skip = (address: string, s: Omit<SkipLine, 'line'>) => {
  for (const line of linesOf.get(address) ?? []) skipped.push({ line, ...s });
};
for (const s of verdict.skipped) {
  skip(s.email, { status: s.status, reason: s.reason, ...(s.recordId ? { recordId: s.recordId } : {}) });
}

const sink = await startSmtpSink();
const transport = nodemailer.createTransport({
  host: sink.host,
  port: sink.port,
  secure: false,
  ignoreTLS: true,
  pool: true,
  maxConnections: 4,
});
transport.use('compile', guardPlugin(guard));
const dkim = generateDkimKey({ domainName: 'news.allstream.example', keySelector: 'ck2026' });
let mailed = 0;
let sent = 0;
try {
  const queue = [...new Set(verdict.allowed)];
  const worker = async () => {
    for (let to = queue.shift(); to !== undefined; to = queue.shift()) {
      // The body's links; the plugin adds the same link as List-Unsubscribe (one request, cached).
      const { unsubscribeUrl, preferencesUrl } = await guard.links(to);
      const lang = entries.find((e) => e.address === to)?.lang;
      const footer = emailFooter({ locale: recipientLocale(lang), organisation: 'AllStream' });
      const message = composeMarketingEmail({
        from: values.from,
        to,
        name: 'there',
        links: { unsubscribeUrl, preferencesUrl, footer },
        dkim,
      });
      try {
        await transport.sendMail(message);
        sent++;
        mailed += linesOf.get(to)?.length ?? 1;
      } catch (error) {
        // Opted out between the check and the send: the plugin refused the message.
        if (!(error instanceof RecipientRefused)) throw error;
        for (const s of error.skipped)
          skip(to, { status: s.status, reason: s.reason, ...(s.recordId ? { recordId: s.recordId } : {}) });
      }
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  if (sent > 0) await sink.waitFor(sent);
} finally {
  transport.close();
  await sink.close();
}

skipped.sort((a, b) => a.line - b.line);
const byReason: Record<string, number> = {};
for (const s of skipped) byReason[`${s.status} (${s.reason})`] = (byReason[`${s.status} (${s.reason})`] ?? 0) + 1;

if (values.json) {
  console.log(
    JSON.stringify({
      purpose: values.purpose,
      listed: entries.length,
      mailed,
      delivered: sink.messages.length,
      skipped,
      byReason,
    }),
  );
} else {
  console.log(`campaign for ${values.purpose}: ${entries.length} on the list`);
  console.log(
    `mailed ${mailed} (delivered to the local SMTP sink: ${sink.messages.length}), each with the ledger's one-click List-Unsubscribe`,
  );
  console.log(`skipped ${skipped.length}:`);
  for (const [reason, n] of Object.entries(byReason).sort((a, b) => b[1] - a[1]))
    console.log(`  ${String(n).padStart(5)}  ${reason}`);
  if (skipped.length > 0) {
    console.log('\nline   who                          status          reason              record');
    const address = new Map(entries.map((e) => [e.line, e.address]));
    for (const s of skipped) {
      console.log(
        `${String(s.line).padEnd(6)} ${mask(address.get(s.line) ?? '').padEnd(28)} ${s.status.padEnd(15)} ${s.reason.padEnd(19)} ${s.recordId ?? '-'}`,
      );
    }
  }
}
