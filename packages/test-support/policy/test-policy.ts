/**
 * Variants of the AllStream policy for tests that need a policy AllStream is not: a purpose with
 * GPC, a changed title, a new version, a purpose removed. Every variant starts from the one
 * fixture, so a test reads as "AllStream, except …".
 */
import type { Policy, Purpose } from '@consentkit/core';
import { allstreamPolicy } from './allstream-policy.js';

/** Changes to AllStream's purposes, by id: fields to replace, or `null` to drop the purpose. */
export type PurposeOverrides = Readonly<Record<string, Partial<Omit<Purpose, 'id'>> | null>>;

export type PolicyOverrides = Partial<Omit<Policy, 'purposes'>> & {
  purposes?: PurposeOverrides;
  /** Purposes appended after AllStream's own (a purpose AllStream does not have). */
  addPurposes?: readonly Purpose[];
};

/**
 * A fresh copy of the AllStream policy with `overrides` applied: top-level fields replace
 * AllStream's, `purposes` changes or drops purposes by id, `addPurposes` appends new ones. A
 * purpose id AllStream does not have is refused, so a typo cannot leave a test on the unchanged
 * policy.
 */
export function testPolicy(overrides: PolicyOverrides = {}): Policy {
  const { purposes: changes = {}, addPurposes = [], ...fields } = overrides;
  const base = structuredClone(allstreamPolicy);
  const known = new Set(base.purposes.map((p) => p.id));
  for (const id of Object.keys(changes)) {
    if (!known.has(id)) {
      throw new TypeError(`testPolicy: AllStream has no purpose "${id}" (it has ${[...known].join(', ')})`);
    }
  }
  const purposes: Purpose[] = [];
  for (const purpose of base.purposes) {
    const change = changes[purpose.id];
    if (change === null) continue;
    purposes.push(change === undefined ? purpose : { ...purpose, ...structuredClone(change) });
  }
  purposes.push(...structuredClone(addPurposes));
  return { ...base, ...structuredClone(fields), purposes };
}
