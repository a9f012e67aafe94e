/**
 * Built-in interface strings: English and Canadian French (the policy this product was built
 * from is Canadian). Every string can be overridden per locale through `configure({ strings })`
 * or the policy document's `strings`, so legal teams can change copy without a release.
 * `{purpose}` is replaced with the purpose's localized name.
 */
export type WidgetStrings = {
  /** Fallback label of an express checkbox without slotted text. */
  expressLabel: string;
  /** Fallback label of an opt-out checkbox: the box says "don't". */
  optOutLabel: string;
  /** Shown under express boxes: withdrawal must be announced before consent is given (R19). */
  withdrawHint: string;
  required: string;
  /** `<consent-optout>` */
  optOutStateIn: string;
  optOutStateOut: string;
  optOutAction: string;
  optInAction: string;
  /** `<consent-optout>` on an express purpose: off until the person agrees, and says so. */
  expressStateOff: string;
  expressStateOn: string;
  expressGrantAction: string;
  expressWithdrawAction: string;
  /** The wording CCPA regulations and Colorado use for a GPC-honoured opt-out (R48, R50). */
  gpcHonored: string;
  /** `<consent-notice>` table caption and column headers. */
  noticeCaption: string;
  colType: string;
  colWhat: string;
  colCollector: string;
  colPurpose: string;
  colUsers: string;
  colStorage: string;
  colSharedWith: string;
  practicesTitle: string;
  /** Names of the three kinds of consent, as notice headings. */
  basisExpress: string;
  basisImplied: string;
  basisOptOut: string;
  /** `<consent-preferences>` */
  preferencesTitle: string;
  stateGranted: string;
  stateDenied: string;
  controller: string;
};

export type Locale = string;

const en: WidgetStrings = {
  expressLabel: 'Yes, I agree to {purpose}.',
  optOutLabel: 'Do not use my information for {purpose}.',
  withdrawHint: 'You can withdraw your consent at any time.',
  required: 'required',
  optOutStateIn: 'You are not opted out of {purpose}.',
  optOutStateOut: 'You are opted out of {purpose}.',
  optOutAction: 'Opt out of {purpose}',
  optInAction: 'Opt back in to {purpose}',
  expressStateOff: '{purpose}: off. We do this only if you agree.',
  expressStateOn: '{purpose}: on, because you agreed.',
  expressGrantAction: 'Agree to {purpose}',
  expressWithdrawAction: 'Withdraw my agreement to {purpose}',
  gpcHonored: 'Opt-Out Request Honored',
  noticeCaption: 'Information we collect',
  colType: 'Type of information',
  colWhat: 'What we collect',
  colCollector: 'Who collects it',
  colPurpose: 'Purpose',
  colUsers: 'Who uses it',
  colStorage: 'Stored by',
  colSharedWith: 'Shared with',
  practicesTitle: 'How we ask for consent',
  basisExpress: 'Express consent',
  basisImplied: 'Implied consent',
  basisOptOut: 'Opt-out consent',
  preferencesTitle: 'Your privacy preferences',
  stateGranted: 'On',
  stateDenied: 'Off',
  controller: 'Controller',
};

const fr: WidgetStrings = {
  expressLabel: "Oui, j'accepte : {purpose}.",
  optOutLabel: 'Ne pas utiliser mes renseignements pour : {purpose}.',
  withdrawHint: 'Vous pouvez retirer votre consentement à tout moment.',
  required: 'obligatoire',
  optOutStateIn: "Vous n'êtes pas retiré de : {purpose}.",
  optOutStateOut: 'Vous êtes retiré de : {purpose}.',
  optOutAction: 'Me retirer de : {purpose}',
  optInAction: 'Me réinscrire à : {purpose}',
  expressStateOff: '{purpose} : désactivé. Nous ne le faisons qu’avec votre accord.',
  expressStateOn: '{purpose} : activé, avec votre accord.',
  expressGrantAction: 'J’accepte : {purpose}',
  expressWithdrawAction: 'Retirer mon accord : {purpose}',
  gpcHonored: 'Demande de retrait respectée',
  noticeCaption: 'Renseignements que nous recueillons',
  colType: 'Type de renseignements',
  colWhat: 'Ce que nous recueillons',
  colCollector: 'Qui les recueille',
  colPurpose: 'Finalité',
  colUsers: 'Qui les utilise',
  colStorage: 'Conservés par',
  colSharedWith: 'Communiqués à',
  practicesTitle: 'Comment nous demandons votre consentement',
  basisExpress: 'Consentement exprès',
  basisImplied: 'Consentement tacite',
  basisOptOut: 'Consentement avec option de retrait',
  preferencesTitle: 'Vos préférences de confidentialité',
  stateGranted: 'Activé',
  stateDenied: 'Désactivé',
  controller: 'Responsable',
};

/** Built-in tables keyed by primary language subtag. */
export const BUILT_IN_STRINGS: Readonly<Record<string, WidgetStrings>> = { en, fr };

/** `fr-CA` → `fr`; unknown languages fall back to English. */
export function primaryLanguage(locale: Locale): string {
  return locale.toLowerCase().split(/[-_]/)[0] ?? 'en';
}

/** Replaces `{name}` placeholders; unknown names stay visible so a missing value is noticed. */
export function format(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}
