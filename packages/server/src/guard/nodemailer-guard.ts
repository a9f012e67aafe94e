import { GuardError } from './guard-error.js';
import type { SendGuard, Skipped } from './send-guard.js';

/**
 * The guard as a nodemailer `compile` plugin (`transporter.use('compile', guardPlugin(guard))`):
 * before nodemailer builds the message it asks the guard about every `to`, `cc` and `bcc`
 * address, and refuses the whole message (GuardError `recipient-opted-out`, with `skipped`) if
 * any of them may not be mailed for the guard's purpose. A message it lets through to one
 * recipient gets that person's `List-Unsubscribe` and `List-Unsubscribe-Post` from the ledger
 * (RFC 8058, R39, R40), added before nodemailer builds and DKIM-signs the message. Typed
 * structurally, so the server package needs no nodemailer dependency.
 */
type AddressLike = string | { readonly address?: string | undefined; readonly name?: string | undefined };
type Addresses = AddressLike | readonly Addresses[] | undefined;
/** nodemailer's `headers`: an object of name → value(s), or a list of { key, value }. */
type HeaderList = { key: string; value: string }[];
type MailData = {
  to?: Addresses;
  cc?: Addresses;
  bcc?: Addresses;
  /** Read only through the checks below: nodemailer accepts several shapes. */
  headers?: unknown;
  /** nodemailer's `list` option; `list.unsubscribe` also makes a List-Unsubscribe header. */
  list?: unknown;
};

export type GuardPluginOptions = {
  /**
   * Add the ledger's `List-Unsubscribe` and `List-Unsubscribe-Post` to a message with exactly one
   * recipient (default true). A message to several people gets none: one person's one-click link
   * would unsubscribe them whoever clicked it, so send marketing one recipient per message. A
   * message that already carries a List-Unsubscribe (in `headers` or `list.unsubscribe`) keeps it.
   */
  readonly listUnsubscribe?: boolean;
};
export type CompileMail = { readonly data: MailData };
export type CompilePlugin = (mail: CompileMail, done: (error?: Error | null) => void) => void;

/** A refusal that carries who was skipped and why, for the caller to report. */
export class RecipientRefused extends GuardError {
  readonly skipped: readonly Skipped[];
  constructor(purpose: string, skipped: readonly Skipped[]) {
    super(
      'recipient-opted-out',
      `${skipped.length} recipient(s) may not be mailed for ${purpose} (${[...new Set(skipped.map((s) => s.status))].join(', ')}); the message was not sent`,
      { hint: 'remove them from the list (guard.check splits a list before sending)' },
    );
    this.skipped = skipped;
  }
}

/** Addresses from nodemailer's forms: "a@b", "Name <a@b>", "a@b, c@d", { name, address }, (nested) arrays of these. */
export function addressesOf(field: Addresses): string[] {
  if (field === undefined) return [];
  if (Array.isArray(field)) return (field as readonly Addresses[]).flatMap(addressesOf);
  const item = field as AddressLike;
  if (typeof item !== 'string') return item.address ? [item.address] : [];
  const out: string[] = [];
  for (const part of item.split(',')) {
    const bracketed = /<([^>]+)>/.exec(part);
    const address = (bracketed?.[1] ?? part).trim();
    if (address) out.push(address);
  }
  return out;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether the message already names a List-Unsubscribe of its own. */
function hasListUnsubscribe(data: MailData): boolean {
  if (isObject(data.list) && data.list.unsubscribe !== undefined) return true;
  const { headers } = data;
  const names = Array.isArray(headers)
    ? (headers as HeaderList).map((h) => String(h.key))
    : isObject(headers)
      ? Object.keys(headers)
      : [];
  return names.some((name) => name.toLowerCase() === 'list-unsubscribe');
}

function addHeaders(data: MailData, add: Readonly<Record<string, string>>): void {
  if (Array.isArray(data.headers)) {
    const list = data.headers as HeaderList;
    for (const [key, value] of Object.entries(add)) list.push({ key, value });
  } else {
    data.headers = { ...(isObject(data.headers) ? data.headers : {}), ...add };
  }
}

export function guardPlugin(guard: SendGuard, options: GuardPluginOptions = {}): CompilePlugin {
  const withHeaders = options.listUnsubscribe ?? true;
  return (mail, done) => {
    const recipients = [...addressesOf(mail.data.to), ...addressesOf(mail.data.cc), ...addressesOf(mail.data.bcc)];
    const run = async (): Promise<void> => {
      const { allowed, skipped } = await guard.check(recipients);
      if (skipped.length > 0) throw new RecipientRefused(guard.purpose, skipped);
      const [only] = allowed;
      if (withHeaders && allowed.length === 1 && only !== undefined && !hasListUnsubscribe(mail.data)) {
        addHeaders(mail.data, await guard.listUnsubscribe(only));
      }
    };
    run().then(
      () => done(null),
      (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
    );
  };
}
