import { GuardError } from './guard-error.js';
import type { SendGuard, Skipped } from './send-guard.js';

/**
 * The guard as a nodemailer `compile` plugin (`transporter.use('compile', guardPlugin(guard))`):
 * before nodemailer builds the message it asks the guard about every `to`, `cc` and `bcc`
 * address, and refuses the whole message (GuardError `recipient-opted-out`, with `skipped`) if
 * any of them may not be mailed for the guard's purpose. Typed structurally, so the server
 * package needs no nodemailer dependency.
 */
type AddressLike = string | { readonly address?: string | undefined; readonly name?: string | undefined };
type Addresses = AddressLike | readonly Addresses[] | undefined;
type MailData = { to?: Addresses; cc?: Addresses; bcc?: Addresses };
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

export function guardPlugin(guard: SendGuard): CompilePlugin {
  return (mail, done) => {
    const recipients = [...addressesOf(mail.data.to), ...addressesOf(mail.data.cc), ...addressesOf(mail.data.bcc)];
    guard.check(recipients).then(
      ({ skipped }) => done(skipped.length > 0 ? new RecipientRefused(guard.purpose, skipped) : null),
      (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
    );
  };
}
