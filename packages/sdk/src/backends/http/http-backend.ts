/**
 * The built-in backend for the ConsentKit ledger API (DESIGN.md "The ledger API"):
 * `POST {url}/v1/records` with `{ records: [{ jws, opening? }] }` and `GET {url}/v1/policy`.
 */
import { ConsentError, type ConsentErrorCode, parseRetryAfter, TransportError } from '@consentkit/core';
import type { ConsentBackend, OutgoingRecord, RejectedResult, SendResult } from '../../backend.js';
import { diagnoseFetchFailure } from './diagnose-fetch-failure.js';
import { fetchPolicy } from './fetch-policy.js';

export type HttpBackendOptions = {
  /** The ledger's base URL, e.g. `https://consent.example.com` (no trailing `/v1`); `/` or `''` for the page's origin. */
  url: string;
  /**
   * Extra request headers (server-side API keys, tracing). Never put a secret in browser code:
   * anything here is readable by every visitor. With headers set, page-hide delivery uses
   * `fetch(…, { keepalive: true })`, because `sendBeacon` cannot carry headers.
   */
  headers?: Record<string, string>;
  /** The fetch to use (a server's instrumented fetch, a test's). Defaults to the global one. */
  fetch?: typeof fetch;
  /**
   * How to deliver while the page is being hidden (R62–R64). `keepalive` (default):
   * `fetch(…, { keepalive: true })` with an `application/json` body, as the ledger expects.
   * `beacon`: `navigator.sendBeacon` with a `text/plain` body, which needs no CORS preflight but
   * needs a ledger that accepts `text/plain` JSON.
   */
  pageHide?: 'keepalive' | 'beacon';
};

/** Codes the ledger may send that are worth retrying: the same record can succeed later. */
const RETRYABLE_CODES: ReadonlySet<ConsentErrorCode> = new Set(['internal', 'transport', 'rate-limited']);

const KNOWN_CODES: ReadonlySet<string> = new Set([
  'invalid-json',
  'invalid-policy',
  'invalid-record',
  'invalid-options',
  'invalid-signature',
  'unsupported-algorithm',
  'invalid-key',
  'invalid-token',
  'token-expired',
  'chain-broken',
  'commitment-mismatch',
  'policy-mismatch',
  'rule-violation',
  'transport',
  'storage',
  'not-found',
  'conflict',
  'unknown-purpose',
  'origin-not-allowed',
  'unauthorized',
  'forbidden',
  'rate-limited',
  'payload-too-large',
  'internal',
] satisfies ConsentErrorCode[]);

/** Ledger codes outside core's union, mapped to the nearest core code. */
const LEDGER_CODES: Readonly<Record<string, ConsentErrorCode>> = {
  'unknown-subject': 'not-found',
  'batch-too-large': 'payload-too-large',
  'invalid-request': 'invalid-record',
  'unsupported-media-type': 'invalid-options',
};

function toCode(value: unknown, fallback: ConsentErrorCode): ConsentErrorCode {
  if (typeof value !== 'string') return fallback;
  if (KNOWN_CODES.has(value)) return value as ConsentErrorCode;
  return LEDGER_CODES[value] ?? fallback;
}

function codeForStatus(status: number): ConsentErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 413) return 'payload-too-large';
  return 'invalid-record';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The request body: only what the ledger needs, in signing order. */
export function recordsBody(records: readonly OutgoingRecord[]): string {
  return JSON.stringify({
    records: records.map((r) => (r.opening === undefined ? { jws: r.jws } : { jws: r.jws, opening: r.opening })),
  });
}

function parseResults(body: unknown, records: readonly OutgoingRecord[]): SendResult[] {
  const results = isRecord(body) && Array.isArray(body.results) ? body.results : [];
  const out: SendResult[] = [];
  for (const [index, item] of results.entries()) {
    if (!isRecord(item)) continue;
    // The ledger answers in request order; a record it could not even parse comes back with id null.
    const id = typeof item.id === 'string' ? item.id : records[index]?.id;
    if (id === undefined) continue;
    if (item.status === 'accepted' && typeof item.receipt === 'string') {
      out.push({ id, status: 'accepted', receipt: item.receipt });
    } else if (item.status === 'rejected') {
      const code = toCode(item.code, 'invalid-record');
      out.push({
        id,
        status: 'rejected',
        code,
        reason: typeof item.reason === 'string' ? item.reason : `the ledger rejected the record (${code})`,
        retryable: typeof item.retryable === 'boolean' ? item.retryable : RETRYABLE_CODES.has(code),
      });
    }
  }
  // A record the ledger did not mention is not known to be stored: the outbox will retry it.
  const seen = new Set(out.map((r) => r.id));
  for (const record of records) {
    if (!seen.has(record.id)) {
      out.push({
        id: record.id,
        status: 'rejected',
        code: 'internal',
        reason: 'the ledger response did not mention the record',
        retryable: true,
      });
    }
  }
  return out;
}

/** A retryable HTTP failure, carrying the server's `Retry-After` when it sent one. */
function statusError(message: string, response: Response): TransportError {
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  return new TransportError(
    message,
    retryAfterMs === undefined ? { status: response.status } : { status: response.status, retryAfterMs },
  );
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

export function createHttpBackend(options: HttpBackendOptions): ConsentBackend {
  // '' and '/' mean the page's own origin (a ledger mounted beside the site).
  if (typeof options.url !== 'string' || !(options.url === '' || /^(https?:\/\/|\/)/.test(options.url))) {
    throw new ConsentError(
      'invalid-options',
      `createHttpBackend needs an absolute or root-relative url, got "${String(options.url)}"`,
    );
  }
  const base = options.url.replace(/\/+$/, '');
  const recordsUrl = `${base}/v1/records`;
  const headers = options.headers ?? {};
  const hasHeaders = Object.keys(headers).length > 0;
  const beaconMode = options.pageHide ?? 'keepalive';
  // Looked up per call, so a test (or msw) that replaces globalThis.fetch later is honoured.
  const doFetch: typeof fetch = (input, init) => (options.fetch ?? globalThis.fetch)(input, init);

  return {
    name: 'http',

    async send({ records, signal }) {
      let response: Response;
      try {
        response = await doFetch(recordsUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: recordsBody(records),
          signal,
        });
      } catch (error) {
        throw await diagnoseFetchFailure({
          url: recordsUrl,
          what: 'could not send consent records',
          error,
          fetch: doFetch,
          hint: 'They stay queued and are retried.',
        });
      }
      const status = response.status;
      if (status === 408 || status === 429 || status >= 500) {
        throw statusError(`The ledger answered ${status}`, response);
      }
      const body = await readJson(response);
      if (response.ok || (isRecord(body) && Array.isArray(body.results))) return parseResults(body, records);
      // Any other 4xx refuses the whole batch for good: retrying the same bytes cannot help.
      // RFC 9457 problem documents (`code`, `detail`), or `{ error: { code, message } }`.
      const error = isRecord(body) && isRecord(body.error) ? body.error : isRecord(body) ? body : {};
      const code = toCode(error.code, codeForStatus(status));
      const text = error.detail ?? error.message ?? error.title;
      const reason = typeof text === 'string' ? text : `the ledger answered ${status}`;
      return records.map((r): RejectedResult => ({ id: r.id, status: 'rejected', code, reason, retryable: false }));
    },

    sendBeacon({ records }) {
      const body = recordsBody(records);
      const canBeacon = typeof navigator !== 'undefined' && typeof navigator.sendBeacon === 'function';
      // sendBeacon cannot set headers; a text/plain body is CORS-safelisted, so no preflight (R62).
      if (canBeacon && (beaconMode === 'beacon' || typeof fetch !== 'function') && !hasHeaders) {
        return navigator.sendBeacon(recordsUrl, new Blob([body], { type: 'text/plain;charset=UTF-8' }));
      }
      try {
        // keepalive lets the request outlive the page (R63); nobody reads the answer.
        void doFetch(recordsUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body,
          keepalive: true,
        }).catch(() => undefined);
        return true;
      } catch {
        return false;
      }
    },

    fetchPolicy({ signal }) {
      return fetchPolicy({ url: `${base}/v1/policy`, headers, signal, fetch: doFetch });
    },
  };
}
