import { allstreamPolicy } from '@consentkit/test-support/policy';
import { expect } from 'chai';
import { gpcPurposeIds, readGpcSignal } from './gpc.js';

describe('GPC signal (browser)', () => {
  it('reads navigator.globalPrivacyControl once per page (R46)', () => {
    const raw = (navigator as { globalPrivacyControl?: unknown }).globalPrivacyControl;
    const first = readGpcSignal();
    expect(first).to.equal(typeof raw === 'boolean' ? raw : null);
    // A change mid-page applies from the next navigation only: the cached value stands.
    Object.defineProperty(navigator, 'globalPrivacyControl', { configurable: true, get: () => first !== true });
    try {
      expect(readGpcSignal()).to.equal(first);
    } finally {
      delete (navigator as { globalPrivacyControl?: unknown }).globalPrivacyControl;
    }
  });

  it('covers the purposes the policy marks as sale, sharing or targeted advertising (R50)', () => {
    expect(gpcPurposeIds(allstreamPolicy)).to.deep.equal(['partner-sharing']);
  });
});
