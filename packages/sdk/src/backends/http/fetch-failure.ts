/**
 * A fetch that fails without an answer looks the same to a page whether the ledger is down or
 * its CORS list leaves this page's origin out. The fix differs (wait, or add the origin), so a
 * cross-origin failure is told apart with one `no-cors` GET of the same URL: an opaque answer
 * means the ledger is up and refused the origin. GET never changes state on the ledger.
 */
import { TransportError } from '@consentkit/core';

export type ExplainFetchFailureOptions = {
  /** The URL the failed request went to. */
  url: string;
  /** What the request was for, to start the reason: "could not send consent records". */
  what: string;
  /** The fetch's rejection. */
  error: unknown;
  fetch: typeof fetch;
  /** What happens now ("The records stay queued and are retried."), the hint when it is unreachable. */
  hint?: string;
};

function pageOrigin(): string | undefined {
  return typeof location !== 'undefined' && /^https?:$/.test(location.protocol) ? location.origin : undefined;
}

/** The TransportError to report for a fetch that rejected: `origin-not-allowed` or `transport`. */
export async function explainFetchFailure(options: ExplainFetchFailureOptions): Promise<TransportError> {
  const { url, what, error } = options;
  const origin = pageOrigin();
  let target: URL | undefined;
  try {
    target = new URL(url, origin);
  } catch {
    target = undefined; // a relative URL outside a page: name it as given
  }
  const aborted = error instanceof Error && error.name === 'AbortError';
  if (origin && target && target.origin !== origin && !aborted) {
    const reachable = await options
      .fetch(target.href, { mode: 'no-cors', cache: 'no-store', credentials: 'omit' })
      .then(
        () => true,
        () => false,
      );
    if (reachable) {
      return new TransportError(
        `${what}: the ledger at ${target.origin} answered, but does not allow requests from this page's origin ${origin} (CORS)`,
        { cause: error, code: 'origin-not-allowed', hint: `Add ${origin} to the ledger's CONSENTKIT_CORS_ORIGINS.` },
      );
    }
  }
  return new TransportError(`${what}: could not reach the ledger at ${target?.origin ?? url}`, {
    cause: error,
    ...(options.hint === undefined ? {} : { hint: options.hint }),
  });
}
