// Danish interface strings: a chunk of its own, loaded when a page or element uses the language.
import type { WidgetStrings } from '../strings.js';

const da: WidgetStrings = {
  expressLabel: 'Ja, jeg giver samtykke til: {purpose}.',
  optOutLabel: 'Brug ikke mine oplysninger til: {purpose}.',
  withdrawHint: 'Du kan til enhver tid trække dit samtykke tilbage.',
  required: 'påkrævet',
  optOutStateIn: 'Du har ikke fravalgt: {purpose}.',
  optOutStateOut: 'Du har fravalgt: {purpose}.',
  optOutAction: 'Fravælg: {purpose}',
  optInAction: 'Tilvælg igen: {purpose}',
  expressStateOff: '{purpose}: fra. Det gør vi kun, hvis du giver samtykke.',
  expressStateOn: '{purpose}: til, fordi du gav samtykke.',
  expressGrantAction: 'Giv samtykke til: {purpose}',
  expressWithdrawAction: 'Træk mit samtykke tilbage: {purpose}',
  gpcHonored: 'Anmodning om fravalg efterkommet',
  noticeCaption: 'Oplysninger, vi indsamler',
  colType: 'Type oplysninger',
  colWhat: 'Hvad vi indsamler',
  colCollector: 'Hvem indsamler dem',
  colPurpose: 'Formål',
  colUsers: 'Hvem bruger dem',
  colStorage: 'Opbevares af',
  colSharedWith: 'Deles med',
  practicesTitle: 'Sådan beder vi om samtykke',
  basisExpress: 'Udtrykkeligt samtykke',
  basisImplied: 'Stiltiende samtykke',
  basisOptOut: 'Samtykke med mulighed for fravalg',
  preferencesTitle: 'Dine privatlivsindstillinger',
  stateGranted: 'Til',
  stateDenied: 'Fra',
  controller: 'Dataansvarlig',
  choicesOn: { one: '{count} indstilling er slået til', other: '{count} indstillinger er slået til' },
};

export default da;
