// The English strings only <consent-notice> and <consent-preferences> show (english.ts says why
// they are apart): imported by those two elements alone, so they stay off the controls' critical path.
import type { PageStringKey } from './english.js';
import type { WidgetStrings } from './strings.js';

export const englishPages: Pick<WidgetStrings, PageStringKey> = {
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
