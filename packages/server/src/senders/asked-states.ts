import {
  type EvaluationContext,
  evaluateConsent,
  type Policy,
  type PurposeState,
  type RuleHistoryItem,
} from '@consentkit/core';

/**
 * The states of the asked purposes only. Core's `evaluateConsent` decides each purpose from the
 * history and that purpose's own terms (no purpose reads another), so evaluating it over the
 * policy cut down to the asked purposes gives the very states the whole policy gives for them, in
 * a third of the time when a sender asks two of six. asked-states.node.test.ts holds that to be so
 * over ≥ 10,000 generated histories; the route refuses a purpose the policy does not have, so
 * every asked purpose is in the cut-down policy.
 */
export function createAskedStates(
  policy: Policy,
  purposes: readonly string[],
): (history: readonly RuleHistoryItem[], context: EvaluationContext) => Record<string, PurposeState> {
  const asked = new Set(purposes);
  const narrowed: Policy = { ...policy, purposes: policy.purposes.filter((p) => asked.has(p.id)) };
  return (history, context) => {
    const all = evaluateConsent({ policy: narrowed, history, context });
    const state: Record<string, PurposeState> = {};
    for (const p of purposes) {
      const s = all[p];
      if (s) state[p] = s;
    }
    return state;
  };
}
