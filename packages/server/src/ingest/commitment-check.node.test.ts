import { base64urlEncode, createCommitment, verifyCommitment } from '@consentkit/core';
import { expect } from 'chai';
import fc from 'fast-check';
import { opensCommitment } from './commitment-check.js';

// The ingest path's synchronous commitment check is a twin of core's verifyCommitment: the same
// answer for every commitment and opening, over ≥ 10,000 generated cases that mix true openings,
// near misses (another salt, another address, a changed case or space) and malformed input.

const RUNS = Math.max(10_000, Number(process.env.CONSENTKIT_FUZZ_RUNS) || 0);

const local = fc.stringMatching(/^[a-zA-Z0-9._+-]{1,12}$/);
const domain = fc.stringMatching(/^[a-z0-9-]{1,10}\.[a-z]{2,4}$/);
const email = fc.tuple(local, domain).map(([l, d]) => `${l}@${d}`);
const identifier = fc.oneof(
  email,
  email.map((e) => ` ${e.toUpperCase()} `),
  email.map((e) => e.replace('@', '')),
  email.map((e) => `${e}@x`),
  email.map((e) => e.replace('@', ' @')),
  fc.string({ unit: 'binary', maxLength: 20 }),
);
const salt = fc.oneof(
  fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => base64urlEncode(b)),
  fc.uint8Array({ minLength: 0, maxLength: 24 }).map((b) => base64urlEncode(b)),
  fc.string({ maxLength: 30 }),
);

describe('the ingest commitment check agrees with core’s verifyCommitment', () => {
  it(`over ${RUNS.toLocaleString('en')} generated commitments and openings`, async () => {
    let opened = 0;
    await fc.assert(
      fc.asyncProperty(email, identifier, salt, fc.nat(4), async (committed, typed, otherSalt, variant) => {
        const real = await createCommitment({ identifier: committed });
        // The true opening (also as typed: other case, spaces), or one with another address,
        // another salt, or another kind.
        const opening =
          variant === 0
            ? real.opening
            : variant === 4
              ? { ...real.opening, identifier: ` ${committed.toUpperCase()}\t` }
              : variant === 1
                ? { ...real.opening, identifier: typed }
                : variant === 2
                  ? { ...real.opening, salt: otherSalt }
                  : { ...real.opening, kind: 'phone' as 'email' };
        const commitment = variant === 0 && typed.length % 5 === 0 ? real.commitment.toUpperCase() : real.commitment;
        const expected = await verifyCommitment({ commitment, opening });
        expect(opensCommitment(commitment, opening), JSON.stringify({ commitment, opening })).to.equal(expected);
        if (expected) opened++;
      }),
      { numRuns: RUNS },
    );
    // Both answers occur often, so agreement is not agreement on "false" alone.
    expect(opened).to.be.above(RUNS / 10);
    expect(opened).to.be.below(RUNS);
  });
});
