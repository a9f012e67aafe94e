/**
 * A small policy in the shape of the AllStream policy (shared/reference/allstream-policy.md):
 * an implied primary purpose, an express purpose (sharing financial details with credit
 * agencies) and an opt-out marketing purpose that GDPR jurisdictions turn into express.
 */
import type { Policy } from '@consentkit/core';

export function testPolicy(): Policy {
  return {
    id: 'allstream',
    version: '1.0.0',
    url: 'https://allstream.example/privacy',
    effectiveDate: '2026-01-01',
    defaultLocale: 'en',
    locales: ['en', 'fr'],
    controller: {
      name: 'AllStream',
      contact: { email: 'privacy@allstream.example' },
      address: { street: '1 Main St', locality: 'Toronto', region: 'ON', postalCode: 'M5V 1A1', country: 'CA' },
    },
    jurisdiction: 'CA',
    dataCategories: [
      {
        id: 'contact',
        type: { en: 'Contact information', fr: 'Coordonnées' },
        collected: [{ en: 'Name', fr: 'Nom' }],
        collectedBy: { en: 'Website or IT support', fr: 'Site Web ou soutien informatique' },
        purpose: { en: 'Application forms', fr: 'Formulaires de demande' },
        usedBy: { en: 'Website or IT support', fr: 'Site Web ou soutien informatique' },
        storedIn: { en: 'Electronic file', fr: 'Dossier électronique' },
        sharedWith: ['partners'],
        sensitive: false,
      },
    ],
    recipients: [{ id: 'partners', name: 'Authorized partners', kind: 'partner', audited: true }],
    purposes: [
      {
        id: 'application',
        title: { en: 'processing your application', fr: 'traitement de votre demande' },
        description: { en: 'We use your details to process your application.', fr: 'Nous traitons votre demande.' },
        basis: 'implied',
        legalBasis: 'implied-consent',
        primary: true,
        sensitive: false,
        recipients: [],
        dataCategories: ['contact'],
        retention: 'P2Y',
      },
      {
        id: 'credit-check',
        title: { en: 'sharing financial details with credit agencies', fr: 'communication aux agences de crédit' },
        description: { en: 'Only with your written consent.', fr: 'Seulement avec votre consentement écrit.' },
        label: {
          en: 'Share my financial details with credit agencies.',
          fr: 'Communiquer mes données financières aux agences de crédit.',
        },
        basis: 'express',
        legalBasis: 'consent',
        primary: false,
        sensitive: true,
        recipients: ['partners'],
        dataCategories: ['contact'],
        retention: 'P1Y',
      },
      {
        id: 'marketing',
        title: { en: 'marketing', fr: 'marketing' },
        description: { en: 'Offers and loyalty programs.', fr: 'Offres et programmes de fidélité.' },
        label: { en: 'Do not send me marketing.', fr: 'Ne pas m’envoyer de marketing.' },
        basis: 'opt-out',
        legalBasis: 'legitimate-interest',
        primary: false,
        sensitive: false,
        recipients: [],
        dataCategories: ['contact'],
        retention: 'P2Y',
        gpc: 'targeted-advertising',
        jurisdictions: { GDPR: { basis: 'express', legalBasis: 'consent' } },
      },
    ],
    recordRetention: 'P7Y',
    practices: {
      express: { en: 'We ask before collecting anything sensitive.', fr: 'Nous demandons avant.' },
      implied: { en: 'Giving us your details for a task implies consent for that task.', fr: 'Implicite.' },
      optOut: { en: 'Opt out of marketing at any time.', fr: 'Retirez-vous à tout moment.' },
      withdrawal: { en: 'You can withdraw consent at any time.', fr: 'Vous pouvez retirer votre consentement.' },
      security: { en: 'Authorized access only, encryption, audit trails.', fr: 'Accès autorisé seulement.' },
      destruction: { en: 'Outdated data is destroyed.', fr: 'Les données périmées sont détruites.' },
      thirdParties: { en: 'Partners are held to our standard.', fr: 'Nos partenaires respectent nos normes.' },
    },
    promises: {
      neverRefuseService: true,
      consentBeforeNewPurpose: true,
      text: { en: 'We never refuse service if you decline optional information.', fr: 'Jamais de refus.' },
    },
  };
}
