/**
 * The CORS-or-down diagnosis (fetch-failure.ts), imported only once a fetch has failed: a page
 * whose requests succeed never loads it, which keeps it off the drop-in's critical path. When
 * even that import fails (the page's own origin is unreachable too), the failure is named as
 * the ledger's being unreachable, with the caller's hint, as the diagnosis names it without CORS.
 */
import { TransportError } from '@consentkit/core';
import type { ExplainFetchFailureOptions } from './fetch-failure.js';

/** The TransportError to report for a fetch that rejected: `origin-not-allowed` or `transport`. */
export async function diagnoseFetchFailure(options: ExplainFetchFailureOptions): Promise<TransportError> {
  try {
    const { explainFetchFailure } = await import('./fetch-failure.js');
    return await explainFetchFailure(options);
  } catch {
    return new TransportError(`${options.what}: could not reach the ledger at ${options.url}`, {
      cause: options.error,
      ...(options.hint === undefined ? {} : { hint: options.hint }),
    });
  }
}
