// Deutsch (Sie-Form, wie im Datenschutz üblich).
import type { Messages } from '../message-types.js';

export const de: Messages = {
  languageName: 'Deutsch',
  languageLabel: 'Sprache',
  skipToContent: 'Zum Inhalt springen',
  siteTitle: 'Ihre Datenschutzeinstellungen',
  footer: 'Sie können diese Einstellungen jederzeit ändern. Ein Konto oder Passwort ist dafür nicht nötig.',
  policyLanguageNote: (language) =>
    `Die Auswahlmöglichkeiten werden auf ${language} beschrieben, in der Sprache der Datenschutzerklärung: Eine Übersetzung in diese Sprache gibt es noch nicht.`,
  unsubscribeTitle: 'Abmelden',
  unsubscribeIntro: (org) => `Keine weiteren E-Mails dieser Art von ${org} erhalten.`,
  unsubscribeFrom: 'Sie werden abgemeldet von:',
  unsubscribeButton: 'Abmelden',
  unsubscribeNoJs: 'Ein Klick genügt. Mehr wird nicht von Ihnen verlangt.',
  unsubscribedTitle: 'Sie sind abgemeldet',
  unsubscribedBody: 'Ihre Entscheidung gilt ab sofort. Sie erhalten diese E-Mails nicht mehr.',
  alreadyUnsubscribed: 'Sie sind bereits abgemeldet.',
  subscribedTo: (purposes) => `Sie sind angemeldet für: ${purposes}. Sie haben sich nicht abgemeldet.`,
  managePreferences: 'Alle Einstellungen verwalten',
  preferencesTitle: 'Ihre Einstellungen',
  preferencesIntro: (org) => `Legen Sie fest, wie ${org} Ihre Daten verwenden darf.`,
  withdrawNotice:
    'Eine Einwilligung zu widerrufen ist so einfach, wie sie zu erteilen, und wirkt sofort. Was vor der Änderung geschehen ist, bleibt davon unberührt.',
  statusOn: 'Ein',
  statusOff: 'Aus',
  turnOff: (purpose) => `Ausschalten: ${purpose}`,
  turnOn: (purpose) => `Einschalten: ${purpose}`,
  turnOffShort: 'Ausschalten',
  turnOnShort: 'Einschalten',
  requiredPurpose: 'Erforderlich, um die von Ihnen gewünschte Leistung zu erbringen.',
  requiredPurposesHeading: 'Für Ihre Anfragen erforderlich',
  choicesHeading: 'Ihre Auswahl',
  saved: (purpose, on) => `Gespeichert. ${purpose}: ${on ? 'ein' : 'aus'}.`,
  homeTitle: 'ConsentKit-Einwilligungsregister',
  homeIntro: (org) =>
    `Dieser Server verwahrt die Einwilligungsnachweise von ${org}, jeder einzelne signiert und verkettet, damit er sich prüfen lässt. Seine Seiten erreicht man über die Links in E-Mails und Formularen (Abmeldung, Einstellungen); hier gibt es nichts zu abonnieren.`,
  homeTeamHeading: 'Für das Team, das ihn betreibt',
  homeAdmin: 'Dashboard (Anmeldung mit einem API-Schlüssel)',
  homeApi: 'API-Beschreibung (OpenAPI 3.1)',
  homeKeys: 'Die öffentlichen Schlüssel des Registers (JWKS), zum Prüfen der Quittungen',
  homeDocs:
    'Dokumentation: README.md und der Ordner docs im Quellcode von ConsentKit; docs/errors.md erklärt jeden Fehlercode.',
  formExpired:
    'Diese Seite war zu lange geöffnet, daher wurde Ihre Änderung nicht gespeichert. Bitte versuchen Sie es erneut.',
  confirmTitle: 'Bestätigen Sie Ihre Entscheidung',
  confirmIntro: (org, date) =>
    `Am ${date} hat jemand mit dieser E-Mail-Adresse in einem Formular von ${org} Folgendem zugestimmt:`,
  confirmWhat:
    'Die Zustimmung gilt erst, wenn Sie bestätigen, dass Sie es waren. Falls nicht, tun Sie einfach nichts: Es ändert sich nichts.',
  confirmButton: (purpose) => `Ja, ich stimme zu: ${purpose}`,
  confirmIgnore: 'Sie können jederzeit widerrufen, genauso einfach, wie Sie zustimmen.',
  confirmedTitle: 'Danke, Ihre Entscheidung ist bestätigt',
  confirmedBody: (purpose) => `Sie haben zugestimmt: ${purpose}. Sie können jederzeit widerrufen.`,
  confirmNothingTitle: 'Nichts zu bestätigen',
  confirmNothingBody:
    'Diese Entscheidung wurde seit dem Versand der E-Mail geändert, es gibt also nichts mehr zu bestätigen.',
  yourDataHeading: 'Ihre Daten',
  downloadDataIntro:
    'Laden Sie alle Entscheidungen, die Sie bei uns getroffen haben, mit unserer signierten Quittung als eine signierte Datei herunter, die Sie selbst prüfen können.',
  downloadData: 'Meine Daten herunterladen',
  gpcHonored: 'Widerspruch berücksichtigt',
  gpcHonoredBody:
    'Ihr Browser hat ein Global-Privacy-Control-Signal gesendet. Wir haben Sie vom Verkauf und von der Weitergabe Ihrer Daten ausgenommen.',
  notFoundTitle: 'Dieser Link funktioniert nicht',
  notFoundBody:
    'Der Link ist möglicherweise unvollständig oder nicht mehr gültig. Wenn Sie ihn aus einer E-Mail kopiert haben, kopieren Sie den ganzen Link und versuchen Sie es erneut.',
  errorTitle: 'Etwas ist schiefgelaufen',
  errorBody:
    'Wir konnten Ihre Anfrage nicht ausführen. Es wurde nichts geändert. Bitte versuchen Sie es gleich noch einmal.',
  badRequestTitle: 'Wir konnten diese Anfrage nicht lesen',
  badRequestBody: 'Bitte gehen Sie zurück zur Seite und verwenden Sie deren Schaltfläche.',
  tooManyRequestsTitle: 'Zu viele Anfragen',
  tooManyRequestsBody: 'Wir haben zu viele Anfragen aus Ihrem Netzwerk erhalten. Es wurde nichts geändert.',
  retryIn: {
    one: (n) => `Bitte versuchen Sie es in ${n} Sekunde erneut.`,
    other: (n) => `Bitte versuchen Sie es in ${n} Sekunden erneut.`,
  },
  emailSentBy: (org) =>
    `Diese E-Mail kommt von ${org}. Sie können diese E-Mails jederzeit mit einem Klick abbestellen.`,
  emailUnsubscribe: 'Diese E-Mails abbestellen',
  emailPreferences: 'Datenschutzeinstellungen verwalten',
};
