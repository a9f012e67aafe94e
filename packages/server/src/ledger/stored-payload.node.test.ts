import { allstreamPolicy } from '@consentkit/test-support/policy';
import { expect } from 'chai';
import fc from 'fast-check';
import { storedHistory, storedJws } from '../../test/support/history-arbitrary.js';
import { assuredRecordOf } from './records-of.js';
import { assuredRecordOfPayload } from './stored-payload.js';

// The fast decoder of stored payloads is a twin of the ledger's assuredRecordOf (strict JWS decoding): the
// same assured record for every stored entry, over ≥ 10,000 generated histories of records with
// text from the whole of Unicode, every assurance level stored (and one the rules do not know),
// both entry versions, and confirmations and attestations.

const RUNS = Math.max(10_000, Number(process.env.CONSENTKIT_FUZZ_RUNS) || 0);

describe('the fast stored-payload decoder agrees with the ledger’s assuredRecordOf', () => {
  it(`over ${RUNS.toLocaleString('en')} generated histories`, () => {
    let entries = 0;
    fc.assert(
      fc.property(
        storedHistory(allstreamPolicy, 3),
        fc.uint8Array({ minLength: 64, maxLength: 64 }),
        (history, signature) => {
          for (const entry of history) {
            const jws = storedJws(entry.record, signature);
            const stored = { jws, assurance: entry.assurance, version: entry.version };
            const payload = jws.split('.')[1] ?? '';
            expect(
              assuredRecordOfPayload({ payload, assurance: entry.assurance, version: entry.version }),
            ).to.deep.equal(assuredRecordOf(stored));
            entries++;
          }
        },
      ),
      { numRuns: RUNS },
    );
    expect(entries).to.be.greaterThan(RUNS);
  });
});
