import { parsePolicy } from '@consentkit/core/schema';
import { expect } from 'chai';
import { allstreamPolicy, testPolicy } from './index.js';

describe('testPolicy', () => {
  it('is AllStream, as a copy the test may change', () => {
    const policy = testPolicy();
    expect(policy).to.deep.equal(allstreamPolicy);
    expect(policy).to.not.equal(allstreamPolicy);
    policy.purposes.pop();
    expect(allstreamPolicy.purposes).to.have.length(6);
  });

  it('changes, drops and adds purposes by id, and the variant is still a valid policy', () => {
    const policy = testPolicy({
      version: '2.0',
      purposes: { marketing: { gpc: 'targeted-advertising' }, 'credit-check': null },
      addPurposes: [
        { ...(allstreamPolicy.purposes[1] as (typeof allstreamPolicy.purposes)[number]), id: 'newsletter' },
      ],
    });
    expect(policy.version).to.equal('2.0');
    expect(policy.purposes.map((p) => p.id)).to.deep.equal([
      'application-processing',
      'marketing',
      'loyalty-programme',
      'relationship-management',
      'partner-sharing',
      'newsletter',
    ]);
    expect(policy.purposes[1]).to.include({ id: 'marketing', gpc: 'targeted-advertising', basis: 'opt-out' });
    expect(() => parsePolicy(policy)).to.not.throw();
  });

  it('refuses a purpose AllStream does not have, so a typo cannot leave the policy unchanged', () => {
    expect(() => testPolicy({ purposes: { marketting: { gpc: 'sale' } } })).to.throw(
      TypeError,
      'no purpose "marketting"',
    );
  });

  it('keeps the shared fixture frozen', () => {
    expect(Object.isFrozen(allstreamPolicy)).to.equal(true);
    expect(Object.isFrozen(allstreamPolicy.purposes[0]?.title)).to.equal(true);
  });
});
