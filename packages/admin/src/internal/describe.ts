/**
 * Words for the ids records and states carry, so the dashboard reads as sentences: "Marketing
 * emails: opted out", "Unsubscribe page", not "marketing denied" or "preference-page".
 */

/** Core's reason codes (ReasonCode in @consentkit/core), as a privacy officer would say them. */
const REASONS: Readonly<Record<string, string>> = {
  'express-granted': 'agreed',
  'implied-by-submission': 'agreed by sending the form',
  'opt-out-standing': 'not opted out',
  'opted-out': 'opted out',
  withdrawn: 'consent withdrawn',
  refused: 'refused',
  'never-presented': 'never asked',
  'not-affirmative': 'not agreed (no act of their own)',
  'gdpr-opt-out-is-not-consent': 'not consent under the GDPR (an opt-out box)',
  'gdpr-implied-is-not-consent': 'not consent under the GDPR (implied)',
  gpc: 'opted out by Global Privacy Control',
  expired: 'expired',
  'unknown-purpose': 'no longer in the policy',
};

const STATUSES: Readonly<Record<string, string>> = {
  granted: 'granted',
  denied: 'denied',
  'needs-consent': 'needs consent',
};

/** A purpose's current state in words: the reason when the server gave one, else the status. */
export function describeState(state: { readonly status: string; readonly reason?: string }): string {
  return (state.reason && REASONS[state.reason]) || STATUSES[state.status] || state.status;
}

/** A decision in a record, in words. */
export function describeDecision(decision: { readonly granted: boolean; readonly basis: string }): string {
  if (decision.granted) return decision.basis === 'opt-out' ? 'not opted out' : 'agreed';
  return decision.basis === 'opt-out' ? 'opted out' : 'refused or withdrawn';
}

const METHODS: Readonly<Record<string, string>> = {
  'form-submit': 'Form sent',
  checkbox: 'Control on a page',
  'preference-page': 'Preference page',
  'one-click-email': 'One-click unsubscribe from an email',
  gpc: 'Global Privacy Control',
  api: 'API',
};

/**
 * How a record was made. The hosted unsubscribe page records `preference-page` with the flow
 * `unsubscribe-page`: the flow says which page the person clicked on.
 */
export function describeMethod(method: string, flow?: string | null): string {
  if (flow === 'unsubscribe-page') return 'Unsubscribe page';
  return METHODS[method] ?? method;
}

/** "Marketing emails" for `marketing`, or the id itself when the policy's titles are unknown. */
export function purposeName(titles: ReadonlyMap<string, string>, id: string): string {
  return titles.get(id) ?? id;
}
