import { evaluateConsent } from '@consentkit/core';
import { allstreamPolicy } from '@consentkit/test-support/policy';
import { expect } from 'chai';
import fc from 'fast-check';
import {
  evaluationContext,
  rulePolicies as policies,
  DIFFERENTIAL_RUNS as RUNS,
  storedHistory,
  storedJws,
} from '../../test/support/history-arbitrary.js';
import { assuredRecordOf } from '../ledger/records-of.js';
import { createAskedStates } from './asked-states.js';

// Bulk "may we?" evaluates only the asked purposes: the same states core's evaluateConsent gives
// for them over the whole policy, over ≥ 10,000 generated histories (every method, basis, level,
// GPC, confirmation and attestation, other policy versions), contexts (jurisdictions with their
// overrides, GPC, the evaluation time) and asked lists (any subset, any order, repeats).

describe('evaluating only the asked purposes agrees with evaluateConsent over the whole policy', () => {
  it(`over ${RUNS.toLocaleString('en')} generated histories, contexts and asked lists`, () => {
    const ids = allstreamPolicy.purposes.map((p) => p.id);
    const signature = new Uint8Array(64);
    let decided = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...policies),
        storedHistory(allstreamPolicy),
        evaluationContext,
        fc.array(fc.constantFrom(...ids), { minLength: 1, maxLength: 8 }),
        (policy, entries, context, asked) => {
          // The history as the ledger reads it back (its own decoder and assurance mapping).
          const history = entries.map((e) =>
            assuredRecordOf({ jws: storedJws(e.record, signature), assurance: e.assurance, version: e.version }),
          );
          const whole = evaluateConsent({ policy, history, context });
          const expected = Object.fromEntries(asked.map((p) => [p, whole[p]]));
          const got = createAskedStates(policy, asked)(history, context);
          expect(got).to.deep.equal(expected);
          if (asked.some((p) => got[p]?.status !== 'needs-consent')) decided++;
        },
      ),
      { numRuns: RUNS },
    );
    // The generator reaches decided states, not only the empty-history default.
    expect(decided).to.be.greaterThan(RUNS / 4);
  });
});
