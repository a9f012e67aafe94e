import { ConsentError, findPurpose } from '@consentkit/core';
import type { LedgerContext } from '../runtime/context.js';
import { blindIndexOf, findOrCreateSubject } from '../subjects/subject-lookup.js';
import { type EmailFooter, emailFooter, recipientLocale } from './email-footer.js';

/**
 * What a sender needs to put in a marketing email (R39, R40): the one-click unsubscribe URL (the
 * token is opaque: no address in it), the preference-centre URL, and the header lines, ready
 * for nodemailer's `headers` or `list` options. The DKIM signature must cover both headers.
 */
export type ListUnsubscribeHeaders = {
  readonly 'List-Unsubscribe': string;
  readonly 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click';
};

/**
 * A link that confirms one pending grant (confirmed opt-in): the person opens it from the mail and
 * confirms on the hosted page `/c/{token}`; the ledger then holds that grant at `inbox` assurance.
 */
export type ConfirmationLink = {
  /** The purpose the grant is pending for. */
  readonly purpose: string;
  /** The record of the grant it confirms (what `state` names as the record the pending rests on). */
  readonly recordId: string;
  readonly url: string;
};

export type UnsubscribeLinks = {
  readonly subjectRef: string;
  readonly unsubscribeUrl: string;
  readonly preferencesUrl: string;
  /**
   * One per purpose asked for (every optional purpose for '*') whose grant is pending: below the
   * assurance the policy requires. Empty when nothing waits for a confirmation.
   */
  readonly confirmations: readonly ConfirmationLink[];
  readonly headers: ListUnsubscribeHeaders;
  /** The same headers as `Name: value` lines. */
  readonly headerLines: readonly string[];
  /** The mail's footer in the recipient's language (`lang` asked for; English otherwise). */
  readonly footer: EmailFooter;
};

const isLocal = (url: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);

/**
 * Formats the two headers. RFC 8058 wants exactly one HTTPS URI (plain http is allowed for a
 * localhost development server only) and optionally a mailto: after it (RFC 2369 order of preference).
 */
export function formatListUnsubscribe(options: {
  readonly url: string;
  readonly mailto?: string | undefined;
}): ListUnsubscribeHeaders {
  const url = new URL(options.url);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLocal(url))) {
    throw new ConsentError(
      'invalid-options',
      `List-Unsubscribe needs an https URL (RFC 8058), got ${url.protocol}//${url.host}`,
      { hint: 'Set PUBLIC_URL to the https origin people reach the ledger on.' },
    );
  }
  const uris = [`<${url.href}>`];
  if (options.mailto) {
    const mailto = options.mailto.startsWith('mailto:')
      ? options.mailto
      : `mailto:${options.mailto}?subject=unsubscribe`;
    if (/[\s<>,]/.test(mailto))
      throw new ConsentError('invalid-options', 'the mailto address must not contain spaces, <, > or commas');
    uris.push(`<${mailto}>`);
  }
  return { 'List-Unsubscribe': uris.join(', '), 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

export type UnsubscribeLinkerOptions = {
  readonly context: LedgerContext;
  /** The public origin the hosted pages are reached on (PUBLIC_URL). */
  readonly publicUrl: string;
  /** An address that unsubscribes by mail, e.g. unsubscribe@news.example. */
  readonly mailto?: string | undefined;
};

export type LinksInput = {
  readonly email: string;
  readonly purpose: string;
  /**
   * The recipient's language: a BCP 47 tag or an Accept-Language value. When given, the footer is
   * in that language and every link carries `?lang=` so the pages open in it too.
   */
  readonly lang?: string | undefined;
};

export type UnsubscribeLinker = {
  /** For an email and a purpose (or '*' for every optional purpose): links, headers and the footer. */
  linksFor(input: LinksInput): Promise<UnsubscribeLinks>;
};

export function createUnsubscribeLinker(options: UnsubscribeLinkerOptions): UnsubscribeLinker {
  const { context } = options;
  const base = options.publicUrl.replace(/\/+$/, '');

  /** Confirmation links for the person's pending grants of `purpose` ('*': every optional purpose). */
  async function confirmationLinks(subjectRef: string, purpose: string, query: string): Promise<ConfirmationLink[]> {
    const state = await context.subjects.state(subjectRef);
    const wanted = context.policies.current.purposes.filter((p) => !p.primary && (purpose === '*' || p.id === purpose));
    const links: ConfirmationLink[] = [];
    for (const p of wanted) {
      const s = state[p.id];
      if (s?.status !== 'pending' || s.recordId === undefined) continue;
      const token = await context.subjects.issueConfirmationToken({ recordId: s.recordId, purpose: p.id });
      links.push({ purpose: p.id, recordId: s.recordId, url: `${base}/c/${token}${query}` });
    }
    return links;
  }

  return {
    async linksFor(input) {
      if (input.purpose !== '*' && !findPurpose(context.policies.current, input.purpose)) {
        throw new ConsentError('invalid-options', `purpose "${input.purpose}" is not in the current policy`);
      }
      const index = await blindIndexOf(context.keyring, 'email', input.email);
      // A person on a mailing list may predate the ledger: give them a subject so the link works.
      const subject = await context.ledger.withLock((tx) => findOrCreateSubject(tx, index));
      const [unsubscribe, preferences] = await Promise.all([
        context.subjects.issueToken({ subjectRef: subject.ref, scope: `unsubscribe:${input.purpose}` }),
        context.subjects.issueToken({ subjectRef: subject.ref, scope: 'preferences' }),
      ]);
      const locale = recipientLocale(input.lang);
      // Only a language the sender named is pinned: without one, the pages follow the browser.
      const query = input.lang === undefined ? '' : `?lang=${locale}`;
      const unsubscribeUrl = `${base}/u/${unsubscribe}${query}`;
      const confirmations = await confirmationLinks(subject.ref, input.purpose, query);
      const headers = formatListUnsubscribe({ url: unsubscribeUrl, mailto: options.mailto });
      return {
        subjectRef: subject.ref,
        unsubscribeUrl,
        preferencesUrl: `${base}/p/${preferences}${query}`,
        confirmations,
        headers,
        headerLines: Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
        footer: emailFooter({ locale, organisation: context.policies.current.controller.name }),
      };
    },
  };
}
