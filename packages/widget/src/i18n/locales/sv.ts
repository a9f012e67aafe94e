// Swedish interface strings: a chunk of its own, loaded when a page or element uses the language.
import type { WidgetStrings } from '../strings.js';

const sv: WidgetStrings = {
  expressLabel: 'Ja, jag samtycker till: {purpose}.',
  optOutLabel: 'Använd inte mina uppgifter för: {purpose}.',
  withdrawHint: 'Du kan när som helst återkalla ditt samtycke.',
  required: 'obligatoriskt',
  optOutStateIn: 'Du har inte avböjt: {purpose}.',
  optOutStateOut: 'Du har avböjt: {purpose}.',
  optOutAction: 'Avböj: {purpose}',
  optInAction: 'Tillåt igen: {purpose}',
  expressStateOff: '{purpose}: av. Vi gör det bara om du samtycker.',
  expressStateOn: '{purpose}: på, eftersom du samtyckte.',
  expressGrantAction: 'Samtyck till: {purpose}',
  expressWithdrawAction: 'Återkalla mitt samtycke till: {purpose}',
  gpcHonored: 'Avböjandet har respekterats',
  noticeCaption: 'Uppgifter vi samlar in',
  colType: 'Typ av uppgifter',
  colWhat: 'Vad vi samlar in',
  colCollector: 'Vem som samlar in dem',
  colPurpose: 'Ändamål',
  colUsers: 'Vem som använder dem',
  colStorage: 'Lagras av',
  colSharedWith: 'Delas med',
  practicesTitle: 'Hur vi ber om samtycke',
  basisExpress: 'Uttryckligt samtycke',
  basisImplied: 'Underförstått samtycke',
  basisOptOut: 'Samtycke med möjlighet att avböja',
  preferencesTitle: 'Dina integritetsinställningar',
  stateGranted: 'På',
  stateDenied: 'Av',
  controller: 'Personuppgiftsansvarig',
  choicesOn: { one: '{count} inställning är på', other: '{count} inställningar är på' },
};

export default sv;
