/**
 * The site's backend vouching for a consent record its form received (POST /v1/attestations,
 * an API key with scope `attest`). A record a browser posted alone is `device` assurance, so an
 * express grant in it stays pending until the site that collected it attests it (R16).
 *
 * Server-side only (`@consentkit/sdk/node`): it holds an API key, which must never reach a page.
 */
import { backoffDelay, ConsentError, type ConsentErrorCode, parseRetryAfter } from '@consentkit/core';

/** The codes an attestation fails with (each in docs/errors.md). */
export type AttestErrorCode = Extract<
  ConsentErrorCode,
  'unauthorized' | 'forbidden' | 'not-found' | 'rate-limited' | 'transport' | 'invalid-options'
>;

export type AttestorOptions = {
  /** The ledger's base URL (`https://consent.example.com`). */
  readonly ledgerUrl: string;
  /** An API key with scope `attest` (`consentkit keys api create --scope attest`). */
  readonly apiKey: string;
  /**
   * How long an unknown record is waited for (ms, default 30 000). The form can arrive before its
   * record: the widget hands the id over once the record is queued, and delivery may still run.
   */
  readonly recordWaitMs?: number;
  /** Attempts after a network failure, a 5xx, 408 or 429 (default 4 more after the first). */
  readonly retries?: number;
  /** Backoff (core's retry module): first delay and ceiling, ms. Defaults 250 and 5 000. */
  readonly retry?: { readonly baseMs?: number; readonly maxMs?: number };
  /** Defaults to the global fetch. */
  readonly fetch?: typeof fetch;
};

export type AttestOptions = {
  /** True when the backend verified the identifier itself (the person is signed in, say). */
  readonly identifierVerified?: boolean;
  readonly signal?: AbortSignal;
};

/** What the ledger answered: its own signed record (`recordId`) that attests `attests`. */
export type Attestation = {
  readonly attests: string;
  readonly recordId: string;
  readonly seq: number;
  readonly receipt: string;
};

export type Attestor = {
  /**
   * Attests `recordId` (the form field `consentkit-record`). Rejects with a ConsentError:
   * `unauthorized`/`forbidden` (the key, or its scope), `not-found` (the record never arrived
   * within `recordWaitMs`), `invalid-options` (not a record id, or a record with nothing to
   * vouch for), `rate-limited` or `transport` once the retries are spent.
   */
  attest(recordId: string, options?: AttestOptions): Promise<Attestation>;
};

type Outcome =
  | { readonly done: Attestation }
  | { readonly retry: ConsentError<AttestErrorCode>; readonly afterMs?: number | undefined };

const RECORD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function codeFor(status: number): AttestErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 429) return 'rate-limited';
  if (status >= 500 || status === 408) return 'transport';
  return 'invalid-options';
}

const sleep = (ms: number, signal: AbortSignal | undefined) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });

export function createAttestor(options: AttestorOptions): Attestor {
  if (typeof options.ledgerUrl !== 'string' || !/^https?:\/\//.test(options.ledgerUrl)) {
    throw new ConsentError(
      'invalid-options',
      `createAttestor needs the ledger's absolute URL, got "${String(options.ledgerUrl)}"`,
      { hint: 'Pass ledgerUrl: "https://consent.example.com" (the same ledger the widget posts to).' },
    );
  }
  if (typeof options.apiKey !== 'string' || options.apiKey.trim() === '') {
    throw new ConsentError('invalid-options', 'createAttestor needs an API key of scope "attest"', {
      hint: 'Create one with `consentkit keys api create --scope attest` and pass it as apiKey (server-side only).',
    });
  }
  const url = `${options.ledgerUrl.replace(/\/+$/, '')}/v1/attestations`;
  const retries = options.retries ?? 4;
  const recordWaitMs = options.recordWaitMs ?? 30_000;
  const baseMs = options.retry?.baseMs ?? 250;
  const maxMs = options.retry?.maxMs ?? 5_000;
  const doFetch: typeof fetch = (input, init) => (options.fetch ?? globalThis.fetch)(input, init);

  async function once(recordId: string, body: string, signal: AbortSignal | undefined): Promise<Outcome> {
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey}` },
        body,
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      return {
        retry: new ConsentError<AttestErrorCode>(
          'transport',
          `could not reach the ledger at ${url} to attest ${recordId}`,
          {
            cause: error,
            hint: 'Check ledgerUrl and that the ledger is up.',
          },
        ),
      };
    }
    const answer: unknown = await response.json().catch(() => undefined);
    if (response.status === 201 && isObject(answer) && typeof answer.recordId === 'string') {
      return { done: answer as Attestation };
    }
    const code = codeFor(response.status);
    const detail = isObject(answer) && typeof answer.detail === 'string' ? answer.detail : `HTTP ${response.status}`;
    const error = new ConsentError<AttestErrorCode>(
      code,
      `the ledger did not take the attestation of ${recordId}: ${detail}`,
      {
        hint: HINTS[code],
      },
    );
    if (code === 'transport' || code === 'rate-limited' || code === 'not-found') {
      return { retry: error, afterMs: parseRetryAfter(response.headers.get('retry-after')) };
    }
    throw error;
  }

  return {
    async attest(recordId, attestOptions = {}) {
      if (typeof recordId !== 'string' || !RECORD_ID.test(recordId)) {
        throw new ConsentError('invalid-options', `"${String(recordId)}" is not a consent record id`, {
          hint: 'Pass the value of the form field consentkit-record (a UUID) as the widget submitted it.',
        });
      }
      const { signal } = attestOptions;
      const body = JSON.stringify({
        recordId,
        ...(attestOptions.identifierVerified === undefined
          ? {}
          : { identifierVerified: attestOptions.identifierVerified }),
      });
      const waitUntil = Date.now() + recordWaitMs;
      let failures = 0;
      for (let attempt = 1; ; attempt++) {
        const outcome = await once(recordId, body, signal);
        if ('done' in outcome) return outcome.done;
        // An unknown record is waited for (it may still be on its way); other failures are counted.
        const waiting = outcome.retry.code === 'not-found';
        if (!waiting) failures++;
        const delay = backoffDelay({ attempt, baseMs, maxMs, retryAfterMs: outcome.afterMs });
        if (waiting ? Date.now() + delay > waitUntil : failures > retries) throw outcome.retry;
        await sleep(delay, signal);
      }
    },
  };
}

const HINTS: Record<AttestErrorCode, string> = {
  unauthorized: 'The ledger does not know this API key; create one with `consentkit keys api create --scope attest`.',
  forbidden: 'The API key needs the scope "attest".',
  'not-found':
    'The ledger never received that record: check that the widget and this backend use the same ledger, and that the record was delivered.',
  'rate-limited': 'The ledger kept answering 429; attest fewer records at once or raise its limit.',
  transport: 'The ledger failed or could not be reached after the retries; attest again later.',
  'invalid-options': 'Attest the id of a record that grants something, as the form submitted it.',
};
