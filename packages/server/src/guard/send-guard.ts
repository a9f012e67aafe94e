import { normalizeIdentifier } from '@consentkit/core';
import type { ListUnsubscribeHeaders, UnsubscribeLinks } from '../email/list-unsubscribe.js';
import { GuardError } from './guard-error.js';

/**
 * The sender's guard: before a mail goes out, ask the ledger (POST /v1/senders/state, scope
 * `read`) whether each recipient may be mailed for the purpose. Only `granted` lets a recipient
 * through; every other answer is a skip with the ledger's status, reason and the record it rests
 * on. Answers are kept for a short while (`cacheMs`) so a campaign asks about each person once.
 * For a recipient it lets through it also fetches the ledger's RFC 8058 headers (POST /v1/links:
 * the one-click unsubscribe link for the purpose), which the nodemailer plugin puts on the message.
 * It runs on the sending side only: it holds an API key, so it never belongs in a browser.
 */
export type SendGuardOptions = {
  /** The ledger's base URL, e.g. https://consent.example.com */
  readonly ledgerUrl: string;
  /** An API key with the `read` scope (or the admin key). */
  readonly apiKey: string;
  /** The purpose the mail is sent for, as the policy names it (e.g. `marketing`). */
  readonly purpose: string;
  /** How long an answer is reused, in ms (default 60 s; 0 asks every time). */
  readonly cacheMs?: number;
  /** The fetch to use (default the global one). */
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
};

export type Skipped = {
  readonly email: string;
  /** `denied` / `needs-consent` / `pending` as the ledger answered, or `invalid-address`. */
  readonly status: 'denied' | 'needs-consent' | 'pending' | 'invalid-address';
  /** The ledger's reason, one line. */
  readonly reason: string;
  /** The ledger record the answer rests on, when there is one. */
  readonly recordId?: string;
};

/** A person's links for the guard's purpose, as the ledger's linker makes them (POST /v1/links). */
export type GuardLinks = Pick<UnsubscribeLinks, 'unsubscribeUrl' | 'preferencesUrl' | 'headers'>;

export type GuardVerdict = { readonly allowed: readonly string[]; readonly skipped: readonly Skipped[] };

export type SendGuard = {
  readonly purpose: string;
  /** Splits `recipients` into those who may be mailed and those skipped, with why. */
  check(recipients: readonly string[]): Promise<GuardVerdict>;
  /**
   * `List-Unsubscribe` (the ledger's one-click link for this person and purpose, and its mailto
   * when the ledger has one) and `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058),
   * as the ledger's linker makes them. Throws GuardError `guard-unavailable` when the ledger
   * cannot say: a marketing mail without them must not go out.
   */
  listUnsubscribe(email: string): Promise<ListUnsubscribeHeaders>;
  /** The same answer with the links a message body shows (unsubscribe, preferences); one request for both. */
  links(email: string): Promise<GuardLinks>;
};

/** The bulk query's limit per call (senders/bulk-state.ts MAX_SUBJECTS). */
const BATCH = 1000;

type Answer = {
  readonly status: 'granted' | 'denied' | 'needs-consent' | 'pending';
  readonly reason: string;
  readonly recordId?: string;
};
type BulkResponse = {
  readonly answers: readonly { readonly subject: string; readonly state: Record<string, Answer | undefined> }[];
};

export function createSendGuard(options: SendGuardOptions): SendGuard {
  const base = options.ledgerUrl.replace(/\/+$/, '');
  const cacheMs = options.cacheMs ?? 60_000;
  const now = options.now ?? Date.now;
  const doFetch = options.fetch ?? fetch;
  const cache = new Map<string, { readonly answer: Answer; readonly at: number }>();
  const linksCache = new Map<string, { readonly links: GuardLinks; readonly at: number }>();

  /** POST to the ledger; an unreachable ledger or a refusal is a GuardError (the guard fails closed). */
  async function post(path: string, body: unknown, hint: string): Promise<unknown> {
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    } catch (cause) {
      throw new GuardError('guard-unavailable', `the ledger at ${base} could not be reached, so nothing is sent`, {
        cause,
        hint: 'check the ledger URL and that the ledger is running',
      });
    }
    if (!response.ok) {
      const problem = (await response.json().catch(() => ({}))) as { detail?: string; code?: string };
      throw new GuardError(
        'guard-unavailable',
        `the ledger answered ${response.status} to POST ${path}${problem.detail ? ` (${problem.detail})` : ''}, so nothing is sent`,
        { hint },
      );
    }
    return response.json();
  }

  async function ask(emails: readonly string[]): Promise<void> {
    for (let i = 0; i < emails.length; i += BATCH) {
      const batch = emails.slice(i, i + BATCH);
      const body = (await post(
        '/v1/senders/state',
        { subjects: batch, purposes: [options.purpose] },
        'check the API key (scope read) and the purpose id',
      )) as BulkResponse;
      const at = now();
      for (const [k, answer] of body.answers.entries()) {
        const state = answer.state[options.purpose];
        const email = batch[k];
        if (state && email !== undefined) cache.set(email, { answer: state, at });
      }
    }
  }

  async function linksOf(email: string): Promise<GuardLinks> {
    const key = normalizeIdentifier(email, 'email');
    const hit = linksCache.get(key);
    if (hit !== undefined && now() - hit.at < cacheMs) return hit.links;
    const answer = (await post(
      '/v1/links',
      { email: key, purpose: options.purpose },
      "check the API key (scope read), the purpose id and the ledger's PUBLIC_URL (https)",
    )) as UnsubscribeLinks;
    const links: GuardLinks = {
      unsubscribeUrl: answer.unsubscribeUrl,
      preferencesUrl: answer.preferencesUrl,
      headers: answer.headers,
    };
    linksCache.set(key, { links, at: now() });
    return links;
  }

  return {
    purpose: options.purpose,
    async check(recipients) {
      const skipped: Skipped[] = [];
      const valid: { readonly given: string; readonly email: string }[] = [];
      for (const given of recipients) {
        try {
          valid.push({ given, email: normalizeIdentifier(given, 'email') });
        } catch {
          skipped.push({ email: given, status: 'invalid-address', reason: 'not an email address (local@domain)' });
        }
      }
      const fresh = (email: string) => {
        const hit = cache.get(email);
        return hit !== undefined && now() - hit.at < cacheMs;
      };
      await ask([...new Set(valid.map((v) => v.email).filter((e) => !fresh(e)))]);
      const allowed: string[] = [];
      for (const { given, email } of valid) {
        const answer = cache.get(email)?.answer;
        if (!answer)
          throw new GuardError('guard-unavailable', `the ledger gave no ${options.purpose} answer for a recipient`);
        if (answer.status === 'granted') allowed.push(given);
        else
          skipped.push({
            email: given,
            status: answer.status,
            reason: answer.reason,
            ...(answer.recordId ? { recordId: answer.recordId } : {}),
          });
      }
      return { allowed, skipped };
    },
    async listUnsubscribe(email) {
      return (await linksOf(email)).headers;
    },
    links: linksOf,
  };
}
