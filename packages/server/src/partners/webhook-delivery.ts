/**
 * Delivers a signed JSON event to a partner endpoint, retrying transient failures with exponential
 * backoff and jitter, and returns the log of every attempt (the raw material for `consentkit
 * partners` and the admin view of failed deliveries). Persisting the log and queueing long retries
 * belong to the store, which this module deliberately does not touch.
 */
import { backoffDelay, ConsentError, parseRetryAfter } from '@consentkit/core';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature.js';

export type BackoffOptions = {
  /** Delay before the second attempt. */
  baseMs: number;
  /** Ceiling for any one delay. */
  maxMs: number;
  /** Growth per attempt (default 2). */
  factor?: number;
  /**
   * Share of each delay that is random (0–1, default 0.5): the delay is drawn from
   * [(1 − jitter)·d, d], so partners recovering from an outage are not hit by synchronised retries.
   */
  jitter?: number;
};

export type WebhookDelivererOptions = {
  /** Injected for tests and proxies; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Attempts in total, the first included (≥ 1). */
  maxAttempts: number;
  backoff: BackoffOptions;
  /** Per-attempt timeout (default 10 s). */
  timeoutMs?: number;
  /** Longest Retry-After honoured in-process (default 60 s); longer waits are capped to it. */
  maxRetryAfterMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Uniform [0, 1); for deterministic tests. */
  random?: () => number;
  now?: () => Date;
  userAgent?: string;
};

/** What a partner receives. `id` stays the same across retries so the partner can deduplicate. */
export type WebhookEvent = {
  id: string;
  type: string;
  createdAt: string;
  data: unknown;
};

export type WebhookDeliveryInput = {
  url: string;
  /** The partner's secret, or every live secret during a rotation (newest first). */
  secret: string | readonly string[];
  event: WebhookEvent;
};

export type WebhookAttempt = {
  attempt: number;
  /** HTTP status, or null when no response arrived (network error, timeout). */
  status: number | null;
  error: string | null;
  /** RFC 3339 time the attempt started. */
  at: string;
  durationMs: number;
  /** The wait before the next attempt, when there is one. */
  retryInMs?: number;
};

export type WebhookGiveUpReason = 'max-attempts' | 'rejected';

export type WebhookDeliveryResult = {
  delivered: boolean;
  eventId: string;
  log: WebhookAttempt[];
  /** Why delivery stopped without success: attempts ran out, or the partner answered with a non-retryable status. */
  gaveUp?: WebhookGiveUpReason;
};

export type WebhookDeliverer = {
  deliver(input: WebhookDeliveryInput): Promise<WebhookDeliveryResult>;
};

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

/** 408, 429 and 5xx are the partner's transient trouble; any other non-2xx will not change by retrying. */
function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

function describeError(error: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `timed out after ${timeoutMs} ms`;
  if (error instanceof Error) {
    // undici hides the socket error (ECONNRESET, ECONNREFUSED) in `cause`.
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

export function createWebhookDeliverer(options: WebhookDelivererOptions): WebhookDeliverer {
  if (!Number.isInteger(options.maxAttempts) || options.maxAttempts < 1) {
    throw new ConsentError('invalid-options', 'maxAttempts must be an integer ≥ 1');
  }
  const jitter = options.backoff.jitter ?? 0.5;
  if (jitter < 0 || jitter > 1) throw new ConsentError('invalid-options', 'backoff.jitter must be between 0 and 1');
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const now = options.now ?? (() => new Date());
  const userAgent = options.userAgent ?? 'ConsentKit-Webhooks/1';

  async function attemptOnce(
    input: WebhookDeliveryInput,
    body: string,
    attempt: number,
  ): Promise<{ entry: WebhookAttempt; retryable: boolean; retryAfterMs?: number }> {
    const started = now();
    const t0 = performance.now();
    // Signed afresh each attempt: a retry after a long backoff must still fall inside the replay window.
    const signature = signWebhook({ secret: input.secret, body, timestamp: Math.floor(started.getTime() / 1000) });
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    try {
      const response = await doFetch(input.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': userAgent,
          [SIGNATURE_HEADER]: signature,
          'ConsentKit-Event-Id': input.event.id,
          'ConsentKit-Delivery-Attempt': String(attempt),
        },
        body,
        // A redirect is a misconfigured endpoint (and a way to aim our POSTs elsewhere): never follow it.
        redirect: 'manual',
        signal: controller.signal,
      });
      // Drain the body so the connection can be reused; its content is the partner's business.
      await response.arrayBuffer().catch(() => undefined);
      const ok = response.status >= 200 && response.status < 300;
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now().getTime());
      const entry: WebhookAttempt = {
        attempt,
        status: response.status,
        error: ok ? null : `HTTP ${response.status}`,
        at: started.toISOString(),
        durationMs: Math.round(performance.now() - t0),
      };
      return {
        entry,
        retryable: !ok && isRetryableStatus(response.status),
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      };
    } catch (error) {
      return {
        entry: {
          attempt,
          status: null,
          error: describeError(error, timedOut, timeoutMs),
          at: started.toISOString(),
          durationMs: Math.round(performance.now() - t0),
        },
        retryable: true,
      };
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async deliver(input) {
      const body = JSON.stringify(input.event);
      const log: WebhookAttempt[] = [];
      for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
        const { entry, retryable, retryAfterMs } = await attemptOnce(input, body, attempt);
        log.push(entry);
        if (entry.status !== null && entry.status >= 200 && entry.status < 300) {
          return { delivered: true, eventId: input.event.id, log };
        }
        if (!retryable) return { delivered: false, eventId: input.event.id, log, gaveUp: 'rejected' };
        if (attempt === options.maxAttempts) break;
        let wait = backoffDelay({ ...options.backoff, attempt, jitter, random });
        // The partner's own Retry-After wins when it asks for longer than our backoff would wait.
        if (retryAfterMs !== undefined) wait = Math.max(wait, Math.min(retryAfterMs, maxRetryAfterMs));
        entry.retryInMs = wait;
        await sleep(wait);
      }
      return { delivered: false, eventId: input.event.id, log, gaveUp: 'max-attempts' };
    },
  };
}
