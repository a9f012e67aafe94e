// Dutch interface strings: a chunk of its own, loaded when a page or element uses the language.
import type { WidgetStrings } from '../strings.js';

const nl: WidgetStrings = {
  expressLabel: 'Ja, ik geef toestemming voor: {purpose}.',
  optOutLabel: 'Gebruik mijn gegevens niet voor: {purpose}.',
  withdrawHint: 'U kunt uw toestemming altijd intrekken.',
  required: 'verplicht',
  optOutStateIn: 'U hebt zich niet afgemeld voor: {purpose}.',
  optOutStateOut: 'U hebt zich afgemeld voor: {purpose}.',
  optOutAction: 'Afmelden voor: {purpose}',
  optInAction: 'Weer aanmelden voor: {purpose}',
  expressStateOff: '{purpose}: uit. Dit doen we alleen met uw toestemming.',
  expressStateOn: '{purpose}: aan, omdat u toestemming gaf.',
  expressGrantAction: 'Toestemming geven voor: {purpose}',
  expressWithdrawAction: 'Mijn toestemming intrekken voor: {purpose}',
  gpcHonored: 'Verzoek tot afmelding gehonoreerd',
  noticeCaption: 'Gegevens die we verzamelen',
  colType: 'Soort gegevens',
  colWhat: 'Wat we verzamelen',
  colCollector: 'Wie ze verzamelt',
  colPurpose: 'Doel',
  colUsers: 'Wie ze gebruikt',
  colStorage: 'Opgeslagen door',
  colSharedWith: 'Gedeeld met',
  practicesTitle: 'Hoe we om toestemming vragen',
  basisExpress: 'Uitdrukkelijke toestemming',
  basisImplied: 'Stilzwijgende toestemming',
  basisOptOut: 'Toestemming met afmeldmogelijkheid',
  preferencesTitle: 'Uw privacyvoorkeuren',
  stateGranted: 'Aan',
  stateDenied: 'Uit',
  controller: 'Verwerkingsverantwoordelijke',
  choicesOn: { one: '{count} keuze staat aan', other: '{count} keuzes staan aan' },
};

export default nl;
