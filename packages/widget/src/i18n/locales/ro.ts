// Romanian interface strings: a chunk of its own, loaded when a page or element uses the language.
import type { WidgetStrings } from '../strings.js';

const ro: WidgetStrings = {
  expressLabel: 'Da, sunt de acord cu: {purpose}.',
  optOutLabel: 'Nu folosiți informațiile mele pentru: {purpose}.',
  withdrawHint: 'Vă puteți retrage consimțământul oricând.',
  required: 'obligatoriu',
  optOutStateIn: 'Nu ați refuzat: {purpose}.',
  optOutStateOut: 'Ați refuzat: {purpose}.',
  optOutAction: 'Refuz: {purpose}',
  optInAction: 'Accept din nou: {purpose}',
  expressStateOff: '{purpose}: dezactivat. Facem acest lucru doar cu acordul dumneavoastră.',
  expressStateOn: '{purpose}: activat, pentru că v-ați dat acordul.',
  expressGrantAction: 'Sunt de acord: {purpose}',
  expressWithdrawAction: 'Îmi retrag acordul: {purpose}',
  gpcHonored: 'Cererea de refuz a fost respectată',
  noticeCaption: 'Informațiile pe care le colectăm',
  colType: 'Tipul informațiilor',
  colWhat: 'Ce colectăm',
  colCollector: 'Cine le colectează',
  colPurpose: 'Scop',
  colUsers: 'Cine le folosește',
  colStorage: 'Stocate de',
  colSharedWith: 'Partajate cu',
  practicesTitle: 'Cum cerem consimțământul',
  basisExpress: 'Consimțământ expres',
  basisImplied: 'Consimțământ implicit',
  basisOptOut: 'Consimțământ cu drept de refuz',
  preferencesTitle: 'Preferințele dumneavoastră de confidențialitate',
  stateGranted: 'Activat',
  stateDenied: 'Dezactivat',
  controller: 'Operator de date',
  choicesOn: { one: '{count} opțiune activată', few: '{count} opțiuni activate', other: '{count} de opțiuni activate' },
};

export default ro;
