/**
 * The AllStream policy as a typed value, for tests that run in browsers too (they cannot read
 * examples/policies/allstream.json from disk). core's policy-file.node.test.ts checks that the JSON
 * file and this fixture are identical, so they cannot drift apart. Never mutate it: take a copy
 * with `testPolicy()`.
 */
import type { Policy } from '@consentkit/core';

export const allstreamPolicy: Policy = deepFreeze({
  id: 'allstream',
  version: '1.1',
  url: 'https://allstream.example/privacy',
  effectiveDate: '2026-11-01',
  defaultLocale: 'en',
  locales: ['en', 'fr'],
  controller: {
    name: 'AllStream',
    contact: { email: 'privacy@allstream.example', url: 'https://allstream.example/privacy' },
    address: {
      street: '100 Example Street',
      locality: 'Toronto',
      region: 'ON',
      postalCode: 'M5V 0A1',
      country: 'CA',
    },
  },
  jurisdiction: 'CA',
  dataCategories: [
    {
      id: 'contact-information',
      type: { en: 'Contact information', fr: 'Coordonnées' },
      collected: [{ en: 'Name', fr: 'Nom' }],
      collectedBy: {
        en: 'Our website or IT support team',
        fr: 'Notre site Web ou notre équipe de soutien informatique',
      },
      purpose: { en: 'Application forms', fr: 'Formulaires de demande' },
      usedBy: { en: 'Our website or IT support team', fr: 'Notre site Web ou notre équipe de soutien informatique' },
      storedIn: { en: 'Electronic file', fr: 'Dossier électronique' },
      sharedWith: ['authorized-partners'],
      sensitive: false,
      kantaraPiiCategories: [1, 2],
    },
    {
      id: 'financial-details',
      type: { en: 'Financial details', fr: 'Renseignements financiers' },
      collected: [
        {
          en: 'Financial details, only if a service you request needs them',
          fr: 'Renseignements financiers, seulement si un service que vous demandez les exige',
        },
      ],
      collectedBy: {
        en: 'Our website or IT support team',
        fr: 'Notre site Web ou notre équipe de soutien informatique',
      },
      purpose: {
        en: 'Credit checks for services that need them',
        fr: 'Vérifications de crédit pour les services qui les exigent',
      },
      usedBy: { en: 'Our IT support team', fr: 'Notre équipe de soutien informatique' },
      storedIn: { en: 'Encrypted electronic file', fr: 'Dossier électronique chiffré' },
      sharedWith: ['credit-agencies'],
      sensitive: true,
      kantaraPiiCategories: [7],
    },
  ],
  recipients: [
    {
      id: 'authorized-partners',
      name: 'AllStream authorized partners',
      kind: 'partner',
      audited: true,
      description: {
        en: 'Partners under contract to protect your data as we do, to use it only for the agreed purposes, and to let us audit them.',
        fr: 'Des partenaires liés par contrat : ils protègent vos données comme nous, ne les utilisent qu’aux fins convenues et acceptent nos vérifications.',
      },
    },
    {
      id: 'credit-agencies',
      name: 'Credit reporting agencies',
      kind: 'credit-agency',
      audited: true,
      description: {
        en: 'Agencies that check credit when a service you ask for requires it.',
        fr: 'Des agences qui vérifient le crédit lorsqu’un service que vous demandez l’exige.',
      },
    },
  ],
  purposes: [
    {
      id: 'application-processing',
      title: { en: 'Processing your application', fr: 'Traitement de votre demande' },
      description: {
        en: 'We use the details you give us in an application form to handle that application, and for nothing else.',
        fr: 'Nous utilisons les renseignements fournis dans un formulaire de demande pour traiter cette demande, et à aucune autre fin.',
      },
      basis: 'implied',
      legalBasis: 'implied-consent',
      primary: true,
      sensitive: false,
      recipients: [],
      dataCategories: ['contact-information'],
      retention: 'P2Y',
      kantara: { purposeCategory: 2, piiCategories: [1, 2] },
      jurisdictions: {
        GDPR: {
          legalBasis: 'contract',
          note: 'GDPR has no implied consent; handling an application at the person’s request is Art. 6(1)(b).',
        },
      },
    },
    {
      id: 'marketing',
      title: { en: 'Marketing emails', fr: 'Courriels de marketing' },
      description: {
        en: 'News and offers about AllStream services similar to the one you applied for. Every email has an unsubscribe link.',
        fr: 'Des nouvelles et des offres sur des services AllStream semblables à celui que vous avez demandé. Chaque courriel contient un lien de désabonnement.',
      },
      label: {
        en: 'Do not send me marketing emails',
        fr: 'Ne m’envoyez pas de courriels de marketing',
      },
      basis: 'opt-out',
      legalBasis: 'casl-implied-ebr',
      primary: false,
      sensitive: false,
      recipients: [],
      dataCategories: ['contact-information'],
      retention: 'P2Y',
      kantara: { purposeCategory: 6, piiCategories: [2] },
      jurisdictions: {
        GDPR: {
          legalBasis: 'soft-opt-in',
          note: 'ePrivacy Art. 13(2) / PECR reg. 22(3): own similar services, refusal offered at collection and in every email (R29).',
        },
      },
    },
    {
      id: 'loyalty-programme',
      title: { en: 'Loyalty programme', fr: 'Programme de fidélité' },
      description: {
        en: 'Rewards and benefits based on the services you use with us.',
        fr: 'Des récompenses et des avantages selon les services que vous utilisez chez nous.',
      },
      label: {
        en: 'Do not enrol me in the loyalty programme',
        fr: 'Ne m’inscrivez pas au programme de fidélité',
      },
      basis: 'opt-out',
      legalBasis: 'implied-consent',
      primary: false,
      sensitive: false,
      recipients: [],
      dataCategories: ['contact-information'],
      retention: 'P2Y',
      kantara: { purposeCategory: 5, piiCategories: [2] },
      jurisdictions: {
        GDPR: {
          basis: 'express',
          legalBasis: 'consent',
          note: 'Profiling for benefits has no soft opt-in or clear legitimate interest: ask first (R21, R23).',
        },
      },
    },
    {
      id: 'relationship-management',
      title: { en: 'Relationship management', fr: 'Gestion de la relation client' },
      description: {
        en: 'Keeping in touch about your account and improving how we serve you.',
        fr: 'Rester en contact au sujet de votre compte et améliorer notre service.',
      },
      label: {
        en: 'Do not contact me about my account beyond what the service needs',
        fr: 'Ne me contactez pas au sujet de mon compte au-delà de ce que le service exige',
      },
      basis: 'opt-out',
      legalBasis: 'implied-consent',
      primary: false,
      sensitive: false,
      recipients: [],
      dataCategories: ['contact-information'],
      retention: 'P2Y',
      kantara: { purposeCategory: 5, piiCategories: [2] },
      jurisdictions: {
        GDPR: {
          legalBasis: 'legitimate-interest',
          note: 'Art. 6(1)(f) with the Art. 21 objection offered by the same opt-out box (R22).',
        },
      },
    },
    {
      id: 'partner-sharing',
      title: { en: 'Sharing with authorized partners', fr: 'Communication à nos partenaires autorisés' },
      description: {
        en: 'We share your contact information with audited partners so they can offer you related services. They may use it only for that.',
        fr: 'Nous communiquons vos coordonnées à des partenaires vérifiés afin qu’ils vous proposent des services connexes. Ils ne peuvent les utiliser qu’à cette fin.',
      },
      label: {
        en: 'Yes, share my contact information with AllStream’s authorized partners',
        fr: 'Oui, communiquez mes coordonnées aux partenaires autorisés d’AllStream',
      },
      basis: 'express',
      legalBasis: 'consent',
      primary: false,
      sensitive: false,
      recipients: ['authorized-partners'],
      dataCategories: ['contact-information'],
      retention: 'P1Y',
      gpc: 'sharing',
      consentMode: ['ad_user_data', 'ad_personalization'],
      kantara: { purposeCategory: 9, piiCategories: [2] },
    },
    {
      id: 'credit-check',
      title: { en: 'Credit check', fr: 'Vérification de crédit' },
      description: {
        en: 'Only when a service you ask for needs it, we send your financial details to a credit agency, and only with your written permission.',
        fr: 'Seulement si un service que vous demandez l’exige, nous transmettons vos renseignements financiers à une agence de crédit, et seulement avec votre permission écrite.',
      },
      label: {
        en: 'Yes, send my financial details to a credit agency for this service',
        fr: 'Oui, transmettez mes renseignements financiers à une agence de crédit pour ce service',
      },
      basis: 'express',
      legalBasis: 'consent',
      primary: false,
      sensitive: true,
      recipients: ['credit-agencies'],
      dataCategories: ['financial-details'],
      retention: 'P6M',
      since: '1.1',
      kantara: { purposeCategory: 10, piiCategories: [7] },
    },
  ],
  recordRetention: 'P7Y',
  practices: {
    express: {
      en: 'Express consent is a clear yes that you give yourself, by ticking an empty box or in writing. We never assume it, and we ask for it before collecting anything sensitive or sharing financial details with third parties such as credit agencies.',
      fr: 'Le consentement exprès est un oui clair que vous donnez vous-même, en cochant une case vide ou par écrit. Nous ne le présumons jamais, et nous le demandons avant de recueillir des renseignements sensibles ou de communiquer des renseignements financiers à des tiers comme des agences de crédit.',
    },
    implied: {
      en: 'When you send us an application, we take it that you agree to our using what you gave us to process it. We use it for that purpose only.',
      fr: 'Lorsque vous nous envoyez une demande, nous considérons que vous acceptez que nous utilisions ces renseignements pour la traiter. Nous ne les utilisons qu’à cette fin.',
    },
    optOut: {
      en: 'We also use your details for marketing, our loyalty programme and relationship management unless you say no. Say no at any time with the box in our forms or the unsubscribe link in any email; we act on it at once.',
      fr: 'Nous utilisons aussi vos renseignements pour le marketing, notre programme de fidélité et la gestion de la relation client, sauf si vous refusez. Refusez en tout temps au moyen de la case de nos formulaires ou du lien de désabonnement de nos courriels; nous y donnons suite immédiatement.',
    },
    withdrawal: {
      en: 'You can withdraw any consent at any time, as easily as you gave it, from the preference page or any email. Withdrawing does not affect what was done before.',
      fr: 'Vous pouvez retirer tout consentement en tout temps, aussi facilement que vous l’avez donné, depuis la page de préférences ou tout courriel. Le retrait ne touche pas ce qui a été fait auparavant.',
    },
    security: {
      en: 'Only authorized staff can see your data. Electronic files are protected by passwords, firewalls and encryption, access is logged in audit trails, backups are kept securely, and laptops and USB drives are password protected.',
      fr: 'Seul le personnel autorisé peut voir vos données. Les dossiers électroniques sont protégés par mots de passe, pare-feu et chiffrement, les accès sont consignés dans des journaux de vérification, les sauvegardes sont conservées en lieu sûr et les ordinateurs portables et clés USB sont protégés par mot de passe.',
    },
    destruction: {
      en: 'We review what we hold regularly and securely destroy personal data that is out of date or no longer needed.',
      fr: 'Nous révisons régulièrement les données que nous détenons et détruisons de façon sécuritaire les renseignements personnels périmés ou inutiles.',
    },
    thirdParties: {
      en: 'Partners who receive your data must protect it as we do, may use it only for the agreed purposes, and must let us audit their compliance.',
      fr: 'Les partenaires qui reçoivent vos données doivent les protéger comme nous, ne peuvent les utiliser qu’aux fins convenues et doivent nous permettre de vérifier leur conformité.',
    },
  },
  promises: {
    neverRefuseService: true,
    consentBeforeNewPurpose: true,
    text: {
      en: 'We will never refuse you service because you decline to give information we do not need. Before using your data for a new purpose, we will ask for your consent.',
      fr: 'Nous ne vous refuserons jamais un service parce que vous refusez de fournir des renseignements dont nous n’avons pas besoin. Avant d’utiliser vos données à une nouvelle fin, nous vous demanderons votre consentement.',
    },
  },
});

/** Frozen all the way down: a test that changes the shared fixture fails at once instead of leaking. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
