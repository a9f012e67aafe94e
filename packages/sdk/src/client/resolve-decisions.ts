/** Turns the decisions a caller gives into the record's: basis from the policy, wording hashed. */
import { type Decision, effectivePurpose, findPurpose, localize, type Policy, sha256Hex } from '@consentkit/core';
import type { CaptureDecision } from './client-types.js';

export type ResolveDecisionsOptions = {
  policy: Policy;
  decisions: readonly CaptureDecision[];
  /** Words shown for every decision that has none of its own. */
  wording: string | undefined;
  jurisdiction: string | undefined;
  locale: string;
};

export function resolveDecisions(options: ResolveDecisionsOptions): Promise<Decision[]> {
  const { policy, locale } = options;
  return Promise.all(
    options.decisions.map(async (given): Promise<Decision> => {
      const purpose = findPurpose(policy, given.purpose);
      const effective = purpose ? effectivePurpose(purpose, options.jurisdiction ?? policy.jurisdiction) : undefined;
      const basis = given.basis ?? effective?.basis ?? 'express';
      let wording: Decision['wording'];
      const text = given.wording ?? options.wording;
      if (typeof text === 'string') wording = { sha256: await sha256Hex(text), text };
      else if (text !== undefined) wording = text;
      else if (purpose?.label) {
        // The label lives in this policy version, so its hash alone proves what was shown (DESIGN).
        wording = { sha256: await sha256Hex(localize(purpose.label, locale, policy.defaultLocale)) };
      }
      const decision: Decision = { purpose: given.purpose, granted: given.granted, basis };
      if (given.legalBasis !== undefined) decision.legalBasis = given.legalBasis;
      if (wording !== undefined) decision.wording = wording;
      if (given.preChecked !== undefined) decision.preChecked = given.preChecked;
      if (given.interaction !== undefined) decision.interaction = given.interaction;
      return decision;
    }),
  );
}
