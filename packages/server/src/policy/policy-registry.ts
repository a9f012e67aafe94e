import { type Policy, policyDigest } from '@consentkit/core';
import { parsePolicy } from '@consentkit/core/schema';
import type { Store } from '../platform/store/store.js';

/**
 * Every policy version this ledger has served, by digest. The current one is recorded at start,
 * so records made under an earlier version still verify after the policy file changes.
 */
export type PolicyRegistry = {
  readonly current: Policy;
  readonly currentDigest: string;
  byDigest(digest: string): Promise<Policy | undefined>;
};

export async function createPolicyRegistry(options: { store: Store; current: Policy }): Promise<PolicyRegistry> {
  const { store, current } = options;
  const currentDigest = await policyDigest(current);
  await store.query(
    `INSERT INTO policies (digest, id, version, document, first_served_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (digest) DO NOTHING`,
    [currentDigest, current.id, current.version, JSON.stringify(current), new Date().toISOString()],
  );
  const cache = new Map<string, Policy>([[currentDigest, current]]);
  return {
    current,
    currentDigest,
    async byDigest(digest) {
      const cached = cache.get(digest);
      if (cached) return cached;
      const rows = await store.query<{ document: string }>('SELECT document FROM policies WHERE digest = $1', [digest]);
      const row = rows[0];
      if (!row) return undefined;
      const policy = parsePolicy(JSON.parse(row.document));
      cache.set(digest, policy);
      return policy;
    },
  };
}
