// Finnish interface strings: a chunk of its own, loaded when a page or element uses the language.
import type { WidgetStrings } from '../strings.js';

const fi: WidgetStrings = {
  expressLabel: 'Kyllä, annan suostumukseni: {purpose}.',
  optOutLabel: 'Tietojani ei saa käyttää: {purpose}.',
  withdrawHint: 'Voit perua suostumuksesi milloin tahansa.',
  required: 'pakollinen',
  optOutStateIn: 'Et ole kieltäytynyt: {purpose}.',
  optOutStateOut: 'Olet kieltäytynyt: {purpose}.',
  optOutAction: 'Kieltäydy: {purpose}',
  optInAction: 'Salli uudelleen: {purpose}',
  expressStateOff: '{purpose}: pois päältä. Teemme tämän vain suostumuksellasi.',
  expressStateOn: '{purpose}: päällä, koska annoit suostumuksesi.',
  expressGrantAction: 'Anna suostumus: {purpose}',
  expressWithdrawAction: 'Peru suostumukseni: {purpose}',
  gpcHonored: 'Kieltäytymispyyntö on huomioitu',
  noticeCaption: 'Keräämämme tiedot',
  colType: 'Tietojen tyyppi',
  colWhat: 'Mitä keräämme',
  colCollector: 'Kuka tiedot kerää',
  colPurpose: 'Käyttötarkoitus',
  colUsers: 'Kuka tietoja käyttää',
  colStorage: 'Säilyttäjä',
  colSharedWith: 'Kenelle tietoja luovutetaan',
  practicesTitle: 'Miten pyydämme suostumusta',
  basisExpress: 'Nimenomainen suostumus',
  basisImplied: 'Hiljainen suostumus',
  basisOptOut: 'Suostumus kieltäytymismahdollisuudella',
  preferencesTitle: 'Tietosuoja-asetuksesi',
  stateGranted: 'Päällä',
  stateDenied: 'Pois',
  controller: 'Rekisterinpitäjä',
  choicesOn: { one: '{count} asetus päällä', other: '{count} asetusta päällä' },
};

export default fi;
