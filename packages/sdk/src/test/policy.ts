/**
 * A small policy for the SDK's tests: one purpose per basis, a GPC-covered sharing purpose and
 * Consent Mode mappings. Typed, so it runs in browsers without reading a file.
 */
import type { Policy, Purpose } from '@consentkit/core';

const text = (en: string) => ({ en });

const purpose = (overrides: Partial<Purpose> & Pick<Purpose, 'id' | 'basis' | 'legalBasis'>): Purpose => ({
  title: text(overrides.id),
  description: text(`What ${overrides.id} is for`),
  primary: false,
  sensitive: false,
  recipients: [],
  dataCategories: ['contact'],
  retention: 'P2Y',
  ...overrides,
});

export const testPolicy: Policy = {
  id: 'sdk-test',
  version: '1.0',
  url: 'https://shop.example/privacy',
  effectiveDate: '2026-11-01',
  defaultLocale: 'en',
  locales: ['en'],
  controller: {
    name: 'Shop',
    contact: { email: 'privacy@shop.example' },
    address: { street: '1 Main St', locality: 'Toronto', postalCode: 'M5V 0A1', country: 'CA' },
  },
  jurisdiction: 'CA',
  dataCategories: [
    {
      id: 'contact',
      type: text('Contact information'),
      collected: [text('Email')],
      collectedBy: text('Website'),
      purpose: text('Orders'),
      usedBy: text('Support'),
      storedIn: text('Database'),
      sharedWith: [],
      sensitive: false,
    },
  ],
  recipients: [{ id: 'ad-partners', name: 'Ad partners', kind: 'partner', audited: true }],
  purposes: [
    purpose({ id: 'orders', basis: 'implied', legalBasis: 'implied-consent', primary: true }),
    purpose({
      id: 'marketing',
      basis: 'opt-out',
      legalBasis: 'implied-consent',
      label: text('Do not send me marketing emails'),
    }),
    purpose({
      id: 'analytics',
      basis: 'express',
      legalBasis: 'consent',
      label: text('Measure how I use the site'),
      consentMode: ['analytics_storage'],
    }),
    purpose({
      id: 'ad-sharing',
      basis: 'express',
      legalBasis: 'consent',
      recipients: ['ad-partners'],
      label: text('Share my data with ad partners'),
      gpc: 'sharing',
      consentMode: ['ad_storage', 'ad_user_data', 'ad_personalization'],
    }),
  ],
  recordRetention: 'P6Y',
  practices: {
    express: text('We ask first.'),
    implied: text('Orders need your details.'),
    optOut: text('Say no any time.'),
    withdrawal: text('Withdraw any time.'),
    security: text('Encrypted.'),
    destruction: text('Deleted after retention.'),
    thirdParties: text('Held to our standard.'),
  },
  promises: { neverRefuseService: true, consentBeforeNewPurpose: true, text: text('We never refuse service.') },
};
