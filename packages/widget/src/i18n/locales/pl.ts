// Polish interface strings: a chunk of its own, loaded when a page or element uses the language.
import type { WidgetStrings } from '../strings.js';

const pl: WidgetStrings = {
  expressLabel: 'Tak, wyrażam zgodę na: {purpose}.',
  optOutLabel: 'Nie wykorzystywać moich danych w celu: {purpose}.',
  withdrawHint: 'Możesz w każdej chwili wycofać zgodę.',
  required: 'wymagane',
  optOutStateIn: 'Nie zgłoszono sprzeciwu: {purpose}.',
  optOutStateOut: 'Zgłoszono sprzeciw: {purpose}.',
  optOutAction: 'Zgłoś sprzeciw: {purpose}',
  optInAction: 'Wycofaj sprzeciw: {purpose}',
  expressStateOff: '{purpose}: wyłączone. Robimy to tylko za Twoją zgodą.',
  expressStateOn: '{purpose}: włączone, za Twoją zgodą.',
  expressGrantAction: 'Wyrażam zgodę: {purpose}',
  expressWithdrawAction: 'Wycofuję zgodę: {purpose}',
  gpcHonored: 'Żądanie rezygnacji zostało uwzględnione',
  noticeCaption: 'Jakie dane zbieramy',
  colType: 'Rodzaj danych',
  colWhat: 'Co zbieramy',
  colCollector: 'Kto je zbiera',
  colPurpose: 'Cel',
  colUsers: 'Kto z nich korzysta',
  colStorage: 'Kto je przechowuje',
  colSharedWith: 'Komu je udostępniamy',
  practicesTitle: 'Jak prosimy o zgodę',
  basisExpress: 'Zgoda wyraźna',
  basisImplied: 'Zgoda dorozumiana',
  basisOptOut: 'Zgoda z prawem sprzeciwu',
  preferencesTitle: 'Twoje ustawienia prywatności',
  stateGranted: 'Włączone',
  stateDenied: 'Wyłączone',
  controller: 'Administrator danych',
  choicesOn: {
    one: '{count} ustawienie włączone',
    few: '{count} ustawienia włączone',
    many: '{count} ustawień włączonych',
    other: '{count} ustawienia włączonego',
  },
};

export default pl;
