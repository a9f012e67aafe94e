/** Where a client's policy comes from: given, fetched from `policyUrl`, or asked of the backend. */
import { ConsentError, type Policy } from '@consentkit/core';
import type { ConsentBackend } from '../backend.js';
import { fetchPolicy } from '../backends/http/fetch-policy.js';

export type PolicySource = { policy?: Policy; policyUrl?: string; backend: ConsentBackend };

export async function loadPolicy(source: PolicySource): Promise<Policy> {
  if (source.policy) return source.policy;
  if (source.policyUrl) return fetchPolicy({ url: source.policyUrl });
  if (source.backend.fetchPolicy) return source.backend.fetchPolicy({ signal: new AbortController().signal });
  throw new ConsentError(
    'invalid-options',
    'createConsentClient needs `policy`, `policyUrl` or a backend with fetchPolicy',
  );
}
