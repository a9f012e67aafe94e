/**
 * Loads a policy document over HTTP: a static file (the bare policy) or the ledger's
 * `GET /v1/policy` (`{ policy, digest }`). The one loader behind the client's `policyUrl`, the
 * HTTP backend's `fetchPolicy` and the widget's `<consent-config policy>`, so every failure has
 * the same code and reason wherever the policy comes from.
 */
import { ConsentError, type Policy, parseRetryAfter, TransportError } from '@consentkit/core';
import { diagnoseFetchFailure } from './diagnose-fetch-failure.js';

export type FetchPolicyDocumentOptions = {
  url: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Defaults to the global fetch, looked up per call. */
  fetch?: typeof fetch;
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Fetches and unwraps a policy. Throws `origin-not-allowed` or `transport` (a TransportError:
 * worth retrying) when the ledger refused this origin, could not be reached or answered 408, 429
 * or 5xx, and `invalid-policy` when the URL answered something that is not a policy.
 *
 * @example
 * const policy = await fetchPolicy({ url: 'https://ledger.example.com/v1/policy' });
 */
export function fetchPolicy(options: FetchPolicyDocumentOptions): Promise<Policy> {
  // A plain load (no signal, headers or fetch of its own) joins one already in flight for the same
  // URL: a page's elements and its SDK client ask at start-up together and share one request.
  const { url, signal, headers, fetch } = options;
  if (signal || headers || fetch) return load(options);
  const pending = inFlight.get(url) ?? loadOrRecall(url).finally(() => inFlight.delete(url));
  inFlight.set(url, pending);
  return pending;
}

const inFlight = new Map<string, Promise<Policy>>();

/**
 * The policy, remembered in the browser (localStorage: it is public) each time it loads: when the
 * ledger cannot be reached later, the page renders and records under the last one it loaded
 * instead of losing the person's choice. A refused origin is a setup error and is not hidden.
 */
async function loadOrRecall(url: string): Promise<Policy> {
  const key = `consentkit:policy:${url}`;
  try {
    const policy = await load({ url });
    try {
      globalThis.localStorage?.setItem(key, JSON.stringify(policy));
    } catch {
      /* storage off or full: nothing to remember */
    }
    return policy;
  } catch (error) {
    let kept: string | null | undefined;
    try {
      kept = globalThis.localStorage?.getItem(key);
    } catch {
      /* storage off */
    }
    if (kept && error instanceof TransportError && error.code === 'transport') return JSON.parse(kept) as Policy;
    throw error;
  }
}

async function load(options: FetchPolicyDocumentOptions): Promise<Policy> {
  const { url } = options;
  const doFetch: typeof fetch = (input, init) => (options.fetch ?? globalThis.fetch)(input, init);
  let response: Response;
  try {
    response = await doFetch(url, {
      headers: { accept: 'application/json', ...options.headers },
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    throw await diagnoseFetchFailure({ url, what: `could not load the policy from ${url}`, error, fetch: doFetch });
  }
  const status = response.status;
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    throw new TransportError(`could not load the policy from ${url}: the ledger answered ${status}`, {
      status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  if (!response.ok) {
    throw new ConsentError('invalid-policy', `could not load the policy from ${url}: it answered ${status}`, {
      hint: 'Check the URL: the ledger serves its policy at {endpoint}/v1/policy.',
    });
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  // Accept both the bare policy and an envelope `{ policy, digest }`.
  const policy = isObject(body) && isObject(body.policy) ? body.policy : body;
  if (!isObject(policy) || !Array.isArray(policy.purposes)) {
    throw new ConsentError('invalid-policy', `${url} did not answer with a policy document`, {
      hint: 'Point it at a policy JSON file or at the ledger’s /v1/policy.',
    });
  }
  return policy as unknown as Policy;
}
