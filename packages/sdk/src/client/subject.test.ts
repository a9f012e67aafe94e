import { verifyCommitment } from '@consentkit/core';
import { expect } from 'chai';
import { prepareSubject, subjectKey } from './subject.js';

describe('client subject', () => {
  it('uses the base subject when no identifier is given', async () => {
    const base = { kind: 'ref', ref: 'sub-1' } as const;
    const prepared = await prepareSubject(undefined, base);
    expect(prepared.subject).to.equal(base);
    expect(prepared.opening).to.equal(undefined);
    expect(prepared.gpcKey).to.equal('ref:sub-1');
    expect(subjectKey({ kind: 'device' })).to.equal('device');
  });

  it('commits to a typed identifier with an opening that verifies', async () => {
    const prepared = await prepareSubject(' Ada@Example.com ', { kind: 'device' });
    expect(prepared.subject.kind).to.equal('commitment');
    if (prepared.subject.kind !== 'commitment' || !prepared.opening) throw new Error('no commitment');
    expect(await verifyCommitment({ commitment: prepared.subject.commitment, opening: prepared.opening })).to.equal(
      true,
    );
  });

  it('gives one person one GPC marker key across salted commitments (R48: one opt-out per subject)', async () => {
    const first = await prepareSubject('ada@example.com', { kind: 'device' });
    const second = await prepareSubject({ value: 'ADA@example.com', kind: 'email' }, { kind: 'device' });
    const other = await prepareSubject('grace@example.com', { kind: 'device' });
    // Fresh salt each time: the commitments differ, the marker does not.
    expect(first.subject).to.not.deep.equal(second.subject);
    expect(first.gpcKey).to.equal(second.gpcKey);
    expect(first.gpcKey).to.match(/^identifier:[0-9a-f]{64}$/);
    expect(other.gpcKey).to.not.equal(first.gpcKey);
  });
});
