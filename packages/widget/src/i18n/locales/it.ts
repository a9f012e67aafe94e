// Italian interface strings: a chunk of its own, loaded when a page or element uses the language.
import type { WidgetStrings } from '../strings.js';

const it: WidgetStrings = {
  expressLabel: 'Sì, acconsento a: {purpose}.',
  optOutLabel: 'Non usare i miei dati per: {purpose}.',
  withdrawHint: 'Può revocare il consenso in qualsiasi momento.',
  required: 'obbligatorio',
  optOutStateIn: 'Non ha chiesto l’esclusione da: {purpose}.',
  optOutStateOut: 'Ha chiesto l’esclusione da: {purpose}.',
  optOutAction: 'Escludimi da: {purpose}',
  optInAction: 'Riattiva: {purpose}',
  expressStateOff: '{purpose}: disattivato. Lo facciamo solo con il suo consenso.',
  expressStateOn: '{purpose}: attivato, con il suo consenso.',
  expressGrantAction: 'Acconsento a: {purpose}',
  expressWithdrawAction: 'Revoca il mio consenso a: {purpose}',
  gpcHonored: 'Richiesta di esclusione accolta',
  noticeCaption: 'Dati che raccogliamo',
  colType: 'Tipo di dati',
  colWhat: 'Cosa raccogliamo',
  colCollector: 'Chi li raccoglie',
  colPurpose: 'Finalità',
  colUsers: 'Chi li usa',
  colStorage: 'Conservati da',
  colSharedWith: 'Condivisi con',
  practicesTitle: 'Come chiediamo il consenso',
  basisExpress: 'Consenso esplicito',
  basisImplied: 'Consenso implicito',
  basisOptOut: 'Consenso con possibilità di opposizione',
  preferencesTitle: 'Le sue preferenze sulla privacy',
  stateGranted: 'Attivato',
  stateDenied: 'Disattivato',
  controller: 'Titolare del trattamento',
  choicesOn: { one: '{count} scelta attiva', many: '{count} di scelte attive', other: '{count} scelte attive' },
};

export default it;
