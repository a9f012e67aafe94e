// German interface strings: a chunk of its own, loaded when a page or element uses the language.
import type { WidgetStrings } from '../strings.js';

const de: WidgetStrings = {
  expressLabel: 'Ja, ich willige ein: {purpose}.',
  optOutLabel: 'Meine Daten nicht verwenden für: {purpose}.',
  withdrawHint: 'Sie können Ihre Einwilligung jederzeit widerrufen.',
  required: 'erforderlich',
  optOutStateIn: 'Sie haben nicht widersprochen: {purpose}.',
  optOutStateOut: 'Sie haben widersprochen: {purpose}.',
  optOutAction: 'Widersprechen: {purpose}',
  optInAction: 'Widerspruch zurücknehmen: {purpose}',
  expressStateOff: '{purpose}: aus. Nur mit Ihrer Einwilligung.',
  expressStateOn: '{purpose}: an, mit Ihrer Einwilligung.',
  expressGrantAction: 'Einwilligen: {purpose}',
  expressWithdrawAction: 'Einwilligung widerrufen: {purpose}',
  gpcHonored: 'Widerspruch berücksichtigt',
  noticeCaption: 'Welche Daten wir erheben',
  colType: 'Art der Daten',
  colWhat: 'Was wir erheben',
  colCollector: 'Wer sie erhebt',
  colPurpose: 'Zweck',
  colUsers: 'Wer sie nutzt',
  colStorage: 'Gespeichert bei',
  colSharedWith: 'Weitergegeben an',
  practicesTitle: 'Wie wir um Einwilligung bitten',
  basisExpress: 'Ausdrückliche Einwilligung',
  basisImplied: 'Stillschweigende Einwilligung',
  basisOptOut: 'Einwilligung mit Widerspruchsmöglichkeit',
  preferencesTitle: 'Ihre Datenschutzeinstellungen',
  stateGranted: 'An',
  stateDenied: 'Aus',
  controller: 'Verantwortlicher',
  choicesOn: { one: '{count} Einstellung ist aktiviert', other: '{count} Einstellungen sind aktiviert' },
};

export default de;
