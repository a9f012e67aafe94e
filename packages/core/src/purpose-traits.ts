/**
 * What a purpose implies through the policy's recipients and data categories. Apart from
 * policy.ts because only the record path, the rules and validation use it: the drop-in's entry,
 * which reads a policy to render controls, does not carry it.
 */
import type { Policy, Purpose, Recipient } from './policy.js';

export function findRecipient(policy: Policy, recipientId: string): Recipient | undefined {
  return policy.recipients.find((r) => r.id === recipientId);
}

/** True when any recipient of the purpose is a third party (not a processor). */
export function sharesWithThirdParties(policy: Policy, purpose: Purpose): boolean {
  return purpose.recipients.some((id) => findRecipient(policy, id)?.kind !== 'processor');
}

/** A purpose is sensitive when it says so or uses a sensitive data category (R31 4.3.6). */
export function isSensitivePurpose(policy: Policy, purpose: Purpose): boolean {
  return (
    purpose.sensitive ||
    purpose.dataCategories.some((id) => policy.dataCategories.find((c) => c.id === id)?.sensitive === true)
  );
}
