/**
 * Unsigned consent records for tests of what a history means (rules, projections): synchronous,
 * deterministic, no signing. For signed records, a person signs them (./people).
 */
import type { ConsentRecord, Decision } from '@consentkit/core';

let counter = 0;

/** A decision the person made by ticking an unticked express box. */
export function express(purpose: string, granted = true, extra: Partial<Decision> = {}): Decision {
  return { purpose, granted, basis: 'express', legalBasis: 'consent', ...extra };
}

/** An opt-out purpose shown to the person: `granted: true` = the opt-out box was left alone. */
export function optOut(purpose: string, granted = true, extra: Partial<Decision> = {}): Decision {
  return { purpose, granted, basis: 'opt-out', ...extra };
}

/** The primary purpose a submitted form implies. */
export function implied(purpose: string, granted = true, extra: Partial<Decision> = {}): Decision {
  return { purpose, granted, basis: 'implied', ...extra };
}

export type RecordOverrides = Partial<Omit<ConsentRecord, 'decisions'>> & { decisions: Decision[] };

/** A record with sensible defaults: a pointer-submitted AllStream 1.1 application form in Canada. */
export function recordAt(at: string, overrides: RecordOverrides): ConsentRecord {
  counter += 1;
  return {
    schema: 'consentkit/record@1',
    id: `00000000-0000-7000-8000-${String(counter).padStart(12, '0')}`,
    issuedAt: at,
    subject: { kind: 'ref', ref: 'subject-1' },
    policy: { id: 'allstream', version: '1.1', digest: '0'.repeat(64) },
    method: 'form-submit',
    interaction: 'pointer',
    collectionPoint: { url: 'https://allstream.example/apply', form: 'application' },
    locale: 'en',
    jurisdiction: 'CA',
    gpc: null,
    prev: null,
    ...overrides,
  };
}
