// English, the fallback of every language, in two parts: what the controls (<consent-checkbox>,
// <consent-optout>) show, built into the drop-in's entry, and what only <consent-notice> and
// <consent-preferences> show, which travels in their own lazily loaded chunks and joins the
// English table when either element's module is evaluated (locale-tables.ts, addEnglish). The
// whole table is locales/en.ts.
// `gpcHonored` is the wording CCPA regulations and Colorado require for a GPC-honoured opt-out (R48, R50).
import type { WidgetStrings } from './strings.js';

/** The strings <consent-notice> and <consent-preferences> alone show. */
export type PageStringKey =
  | 'noticeCaption'
  | 'colType'
  | 'colWhat'
  | 'colCollector'
  | 'colPurpose'
  | 'colUsers'
  | 'colStorage'
  | 'colSharedWith'
  | 'practicesTitle'
  | 'basisExpress'
  | 'basisImplied'
  | 'basisOptOut'
  | 'preferencesTitle'
  | 'stateGranted'
  | 'stateDenied'
  | 'controller'
  | 'choicesOn';

export const englishControls: Omit<WidgetStrings, PageStringKey> = {
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
};
