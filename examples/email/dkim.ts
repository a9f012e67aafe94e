/**
 * DKIM for the example sender: a throwaway RSA key made at run time (a real sender keeps its key
 * and publishes the public half in DNS), and a small verifier for the relaxed/relaxed signatures
 * nodemailer makes (RFC 6376 §3.4.2, §3.4.4), so the example and its test can show that the
 * signature is valid and covers both List-Unsubscribe headers (RFC 8058 §4, R40) without a DNS
 * lookup.
 */
import { createHash, createPublicKey, generateKeyPairSync, type KeyObject, verify } from 'node:crypto';

export type DkimKey = {
  readonly domainName: string;
  readonly keySelector: string;
  /** PKCS#8 PEM, what nodemailer's `dkim.privateKey` takes. */
  readonly privateKey: string;
  readonly publicKey: KeyObject;
  /** The DNS TXT record a receiver would look up at `<selector>._domainkey.<domain>`. */
  readonly dnsRecord: string;
};

export function generateDkimKey(options: { domainName: string; keySelector: string }): DkimKey {
  // 2048 bits: receivers (Gmail, Yahoo) reject or distrust 1024-bit DKIM keys.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const p = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  return {
    ...options,
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey,
    dnsRecord: `${options.keySelector}._domainkey.${options.domainName}. IN TXT "v=DKIM1; k=rsa; p=${p}"`,
  };
}

type HeaderField = { readonly name: string; readonly raw: string };

/** Header fields in order, each with its folded raw text (name, colon, value). */
export function parseHeaderFields(headerBlock: string): HeaderField[] {
  const fields: HeaderField[] = [];
  for (const line of headerBlock.split('\r\n')) {
    const last = fields[fields.length - 1];
    if (/^[ \t]/.test(line) && last) fields[fields.length - 1] = { name: last.name, raw: `${last.raw}\r\n${line}` };
    else if (line !== '') fields.push({ name: line.slice(0, line.indexOf(':')).trim(), raw: line });
  }
  return fields;
}

/** One header's value with folding undone (for reading List-Unsubscribe and friends). */
export function headerValue(raw: string, name: string): string | undefined {
  const [head = ''] = raw.split('\r\n\r\n');
  const field = parseHeaderFields(head).find((f) => f.name.toLowerCase() === name.toLowerCase());
  return field?.raw
    .slice(field.raw.indexOf(':') + 1)
    .replace(/\r\n/g, '')
    .trim();
}

const relaxedHeader = (raw: string): string => {
  const colon = raw.indexOf(':');
  const name = raw.slice(0, colon).trim().toLowerCase();
  const value = raw
    .slice(colon + 1)
    .replace(/\r\n/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim();
  return `${name}:${value}`;
};

const relaxedBody = (body: string): string => {
  const lines = body.split('\r\n').map((line) => line.replace(/[ \t]+/g, ' ').replace(/ $/, ''));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.length === 0 ? '' : `${lines.join('\r\n')}\r\n`;
};

export type DkimResult =
  | { readonly ok: true; readonly domain: string; readonly selector: string; readonly signedHeaders: readonly string[] }
  | { readonly ok: false; readonly reason: string; readonly signedHeaders: readonly string[] };

/** Verifies the first DKIM-Signature of a raw RFC 5322 message (CRLF line ends) with `publicKey`. */
export function verifyDkim(rawMessage: string, publicKey: KeyObject | string): DkimResult {
  const split = rawMessage.indexOf('\r\n\r\n');
  const headerBlock = split < 0 ? rawMessage : rawMessage.slice(0, split);
  const body = split < 0 ? '' : rawMessage.slice(split + 4);
  const fields = parseHeaderFields(headerBlock);
  const signature = fields.find((f) => f.name.toLowerCase() === 'dkim-signature');
  if (!signature) return { ok: false, reason: 'no DKIM-Signature header', signedHeaders: [] };
  const tags = new Map<string, string>();
  for (const part of signature.raw.slice(signature.raw.indexOf(':') + 1).split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) tags.set(part.slice(0, eq).trim(), part.slice(eq + 1).replace(/\s+/g, ''));
  }
  const signedHeaders = (tags.get('h') ?? '').split(':').map((h) => h.trim().toLowerCase());
  const fail = (reason: string): DkimResult => ({ ok: false, reason, signedHeaders });
  if (tags.get('a') !== 'rsa-sha256') return fail(`unsupported algorithm ${tags.get('a')}`);
  if (tags.get('c') !== 'relaxed/relaxed') return fail(`unsupported canonicalization ${tags.get('c')}`);

  const bodyHash = createHash('sha256').update(relaxedBody(body), 'utf8').digest('base64');
  if (bodyHash !== tags.get('bh')) return fail('body hash mismatch (the body changed after signing)');

  // Each name in h= takes the next instance of that header from the bottom (RFC 6376 §5.4.2).
  const used = new Set<HeaderField>();
  const lines: string[] = [];
  for (const name of signedHeaders) {
    const field = [...fields].reverse().find((f) => f.name.toLowerCase() === name && !used.has(f));
    if (!field) continue; // a listed but absent header signs as empty (and stops one being added)
    used.add(field);
    lines.push(`${relaxedHeader(field.raw)}\r\n`);
  }
  // The signature header itself, with its b= value emptied and no trailing CRLF.
  const unsigned = signature.raw.replace(/(^|;)(\s*b\s*=)[^;]*/, '$1$2');
  const data = lines.join('') + relaxedHeader(unsigned);
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  const valid = verify('sha256', Buffer.from(data, 'utf8'), key, Buffer.from(tags.get('b') ?? '', 'base64'));
  return valid
    ? { ok: true, domain: tags.get('d') ?? '', selector: tags.get('s') ?? '', signedHeaders }
    : fail('signature does not verify');
}
