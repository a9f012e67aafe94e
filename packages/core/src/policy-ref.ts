/**
 * A policy's digest and the reference a record carries to it. Apart from policy.ts because
 * hashing needs canonical JSON and SHA-256: a browser bundle that only reads a policy (the
 * drop-in's critical path) carries neither; the record path, which signs, does.
 */
import { digestOf } from './hash.js';
import type { Policy, PolicyRef } from './policy.js';

/** Stable digest of a policy: lowercase hex SHA-256 of its RFC 8785 form. */
export function policyDigest(policy: Policy): Promise<string> {
  return digestOf(policy);
}

/** The reference a record carries for `policy`. */
export async function policyRef(policy: Policy): Promise<PolicyRef> {
  return { id: policy.id, version: policy.version, digest: await policyDigest(policy) };
}
