// The policy the hosted-page suites run on: AllStream (the one test policy) reduced to what the
// pages exercise, the primary application purpose, marketing (opt-out) and a purpose of its own
// that Global Privacy Control covers (ad-sharing, opt-out), with hostile text where a suite asks.
import type { Policy, Purpose } from '@consentkit/core';
import { allstreamPolicy, testPolicy } from '@consentkit/test-support/policy';

export const HOSTILE = `<script>alert(1)</script>"'><img src=x onerror=alert(2)>`;

const marketing = allstreamPolicy.purposes.find((p) => p.id === 'marketing') as Purpose;

const AD_SHARING: Purpose = {
  ...structuredClone(marketing),
  id: 'ad-sharing',
  title: { en: 'Sharing for advertising', fr: 'Partage à des fins publicitaires' },
  description: { en: 'Sharing with ad partners.' },
  legalBasis: 'legitimate-interest',
  gpc: 'sharing',
};

export function hostedPolicy(overrides: { marketingTitle?: string; organisation?: string } = {}): Policy {
  const title = overrides.marketingTitle;
  return testPolicy({
    ...(overrides.organisation ? { controller: { ...allstreamPolicy.controller, name: overrides.organisation } } : {}),
    purposes: {
      'loyalty-programme': null,
      'relationship-management': null,
      'partner-sharing': null,
      'credit-check': null,
      ...(title ? { marketing: { title: { en: title, fr: title } } } : {}),
    },
    addPurposes: [AD_SHARING],
  });
}
