/** GPC: one opt-out record per device and subject for the policy's sale/sharing/ads purposes (R48–R50). */
import { type Decision, effectivePurpose, findPurpose, type Policy, type Signer } from '@consentkit/core';
import { gpcPurposeIds } from '../gpc.js';
import type { OutboxEntry, OutboxStore } from '../outbox/outbox-store.js';
import type { Recorder } from './recorder.js';
import type { PreparedSubject } from './subject.js';

export type GpcOptOutOptions = {
  prepared: PreparedSubject;
  policy: Policy;
  signer: Signer;
  store: OutboxStore;
  recorder: Recorder;
  jurisdiction: string | undefined;
};

/**
 * Records the opt-out unless this subject already has one (a marker in the outbox meta).
 * `honored` is true when the opt-out stands, now or from before; `entry` is a new record to deliver.
 */
export async function recordGpcOptOut(options: GpcOptOutOptions): Promise<{ honored: boolean; entry?: OutboxEntry }> {
  const { prepared, policy, signer } = options;
  const purposes = gpcPurposeIds(policy);
  if (purposes.length === 0) return { honored: false };
  const markerKey = `gpc:${signer.kid}:${prepared.gpcKey}`;
  if ((await options.store.getMeta({ key: markerKey })) !== undefined) return { honored: true };
  const decisions = purposes.map((id): Decision => {
    const purpose = findPurpose(policy, id);
    const basis = purpose ? effectivePurpose(purpose, options.jurisdiction ?? policy.jurisdiction).basis : 'opt-out';
    return { purpose: id, granted: false, basis };
  });
  const entry = await options.recorder.record({
    policy,
    signer,
    decisions,
    method: 'gpc',
    interaction: 'none',
    subject: prepared.subject,
    ...(prepared.opening === undefined ? {} : { opening: prepared.opening }),
    meta: { [markerKey]: new Date().toISOString() },
  });
  return { honored: true, entry };
}
