/** Where a client's policy comes from: given, fetched from `policyUrl`, or asked of the backend. */
import { ConsentError, type Policy } from '@consentkit/core';
import type { ConsentBackend } from '../backend.js';

export type PolicySource = { policy?: Policy; policyUrl?: string; backend: ConsentBackend };

export async function loadPolicy(source: PolicySource): Promise<Policy> {
  if (source.policy) return source.policy;
  const signal = new AbortController().signal;
  if (source.policyUrl) {
    const response = await fetch(source.policyUrl, { headers: { accept: 'application/json' }, signal });
    if (!response.ok) {
      throw new ConsentError('invalid-policy', `GET ${source.policyUrl} answered ${response.status}`);
    }
    const body = (await response.json()) as { policy?: Policy } & Partial<Policy>;
    return (body.policy ?? body) as Policy;
  }
  if (source.backend.fetchPolicy) return source.backend.fetchPolicy({ signal });
  throw new ConsentError(
    'invalid-options',
    'createConsentClient needs `policy`, `policyUrl` or a backend with fetchPolicy',
  );
}
