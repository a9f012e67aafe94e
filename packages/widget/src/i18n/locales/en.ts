// English interface strings: built into every bundle as the fallback for languages without a table.
// `gpcHonored` is the wording CCPA regulations and Colorado require for a GPC-honoured opt-out (R48, R50).
import type { WidgetStrings } from '../strings.js';

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
  choicesOn: { one: '{count} choice is on', other: '{count} choices are on' },
};

export default en;
