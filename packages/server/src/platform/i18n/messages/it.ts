// Italiano (registro cortese, forma di cortesia "Lei" implicita).
import type { Messages } from '../message-types.js';

export const it: Messages = {
  languageName: 'Italiano',
  languageLabel: 'Lingua',
  skipToContent: 'Vai al contenuto',
  siteTitle: 'Le sue scelte sulla privacy',
  footer: 'Può modificare queste scelte in qualsiasi momento. Non servono account né password.',
  policyLanguageNote: (language) =>
    `Le scelte sono descritte in ${language}, la lingua dell’informativa sulla privacy: non è ancora tradotta in questa lingua.`,
  unsubscribeTitle: 'Annulla l’iscrizione',
  unsubscribeIntro: (org) => `Non ricevere più queste email da ${org}.`,
  unsubscribeFrom: 'L’iscrizione verrà annullata per:',
  unsubscribeButton: 'Annulla l’iscrizione',
  unsubscribeNoJs: 'Basta un clic. Non le viene chiesto altro.',
  unsubscribedTitle: 'Iscrizione annullata',
  unsubscribedBody: 'La sua scelta ha effetto immediato. Non riceverà più queste email.',
  alreadyUnsubscribed: 'La sua iscrizione è già stata annullata.',
  subscribedTo: (purposes) => `È iscritto a ${purposes}: non ha annullato l’iscrizione.`,
  managePreferences: 'Gestisci tutte le preferenze',
  preferencesTitle: 'Le sue preferenze',
  preferencesIntro: (org) => `Scelga come ${org} può usare i suoi dati.`,
  withdrawNotice:
    'Disattivare una scelta è facile quanto attivarla e ha effetto immediato. Non incide su quanto fatto prima della modifica.',
  statusOn: 'Attivata',
  statusOff: 'Disattivata',
  turnOff: (purpose) => `Disattiva: ${purpose}`,
  turnOn: (purpose) => `Attiva: ${purpose}`,
  turnOffShort: 'Disattiva',
  turnOnShort: 'Attiva',
  requiredPurpose: 'Necessario per fornire il servizio che ha richiesto.',
  requiredPurposesHeading: 'Necessari per le sue richieste',
  choicesHeading: 'Le sue scelte',
  saved: (purpose, on) => `Salvato. ${purpose}: ${on ? 'attivata' : 'disattivata'}.`,
  homeTitle: 'Registro dei consensi ConsentKit',
  homeIntro: (org) =>
    `Questo server conserva le registrazioni dei consensi di ${org}, ciascuna firmata e concatenata perché si possa verificare. Alle sue pagine si arriva dai link contenuti in email e moduli (disiscrizione, preferenze); qui non c’è nulla a cui iscriversi.`,
  homeTeamHeading: 'Per il team che lo gestisce',
  homeAdmin: 'Pannello di controllo (accesso con una chiave API)',
  homeApi: 'Descrizione dell’API (OpenAPI 3.1)',
  homeKeys: 'Le chiavi pubbliche del registro (JWKS), per verificare le ricevute',
  homeDocs:
    'Documentazione: README.md e la cartella docs del codice sorgente di ConsentKit; docs/errors.md spiega ogni codice di errore.',
  formExpired: 'Questa pagina è rimasta aperta troppo a lungo e la modifica non è stata salvata. Riprovi.',
  confirmTitle: 'Confermi la sua scelta',
  confirmIntro: (org, date) =>
    `Il ${date} qualcuno, con questo indirizzo email, ha acconsentito in un modulo di ${org} a:`,
  confirmWhat:
    'Il consenso vale solo dopo che avrà confermato di essere stato lei. Se non è stato lei, non faccia nulla: non cambierà niente.',
  confirmButton: (purpose) => `Sì, acconsento: ${purpose}`,
  confirmIgnore: 'Può revocare il consenso in qualsiasi momento, con la stessa facilità con cui lo dà.',
  confirmedTitle: 'Grazie, la sua scelta è confermata',
  confirmedBody: (purpose) => `Ha acconsentito a: ${purpose}. Può revocare il consenso in qualsiasi momento.`,
  confirmNothingTitle: 'Niente da confermare',
  confirmNothingBody: 'Questa scelta è cambiata dopo l’invio dell’email, quindi non resta nulla da confermare.',
  yourDataHeading: 'I suoi dati',
  downloadDataIntro:
    'Scarichi tutte le scelte fatte con noi, ciascuna con la nostra ricevuta firmata, in un unico file firmato che può verificare da sé.',
  downloadData: 'Scarica i miei dati',
  gpcHonored: 'Richiesta di esclusione accolta',
  gpcHonoredBody:
    'Il suo browser ha inviato un segnale Global Privacy Control. L’abbiamo escluso dalla vendita e dalla condivisione dei suoi dati.',
  notFoundTitle: 'Questo link non funziona',
  notFoundBody:
    'Il link potrebbe essere incompleto o non più valido. Se lo ha copiato da un’email, copi il link per intero e riprovi.',
  errorTitle: 'Si è verificato un problema',
  errorBody: 'Non siamo riusciti a completare la richiesta. Non è stato modificato nulla. Riprovi tra poco.',
  badRequestTitle: 'Non riusciamo a leggere questa richiesta',
  badRequestBody: 'Torni alla pagina e usi il suo pulsante.',
  tooManyRequestsTitle: 'Troppe richieste',
  tooManyRequestsBody: 'Abbiamo ricevuto troppe richieste dalla sua rete. Non è stato modificato nulla.',
  retryIn: {
    one: (n) => `Riprovi tra ${n} secondo.`,
    many: (n) => `Riprovi tra ${n} di secondi.`,
    other: (n) => `Riprovi tra ${n} secondi.`,
  },
  emailSentBy: (org) =>
    `Questa email le è stata inviata da ${org}. Può smettere di ricevere queste email in qualsiasi momento, con un clic.`,
  emailUnsubscribe: 'Annulla l’iscrizione a queste email',
  emailPreferences: 'Gestisci le preferenze sulla privacy',
};
