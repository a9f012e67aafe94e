// Română (registru politicos, „dumneavoastră”).
import type { Messages } from '../message-types.js';

export const ro: Messages = {
  languageName: 'Română',
  languageLabel: 'Limbă',
  skipToContent: 'Salt la conținut',
  siteTitle: 'Opțiunile dumneavoastră de confidențialitate',
  footer: 'Puteți schimba aceste opțiuni oricând. Nu aveți nevoie de cont sau parolă.',
  policyLanguageNote: (language) =>
    `Opțiunile sunt descrise în ${language}, limba politicii de confidențialitate: aceasta nu este încă tradusă în această limbă.`,
  unsubscribeTitle: 'Dezabonare',
  unsubscribeIntro: (org) => `Nu mai primiți aceste e-mailuri de la ${org}.`,
  unsubscribeFrom: 'Veți fi dezabonat de la:',
  unsubscribeButton: 'Dezabonare',
  unsubscribeNoJs: 'Un singur clic este suficient. Nu vi se cere nimic altceva.',
  unsubscribedTitle: 'V-ați dezabonat',
  unsubscribedBody: 'Alegerea dumneavoastră a intrat imediat în vigoare. Nu veți mai primi aceste e-mailuri.',
  alreadyUnsubscribed: 'V-ați dezabonat deja.',
  subscribedTo: (purposes) => `Sunteți abonat la ${purposes}: nu v-ați dezabonat.`,
  managePreferences: 'Gestionați toate preferințele',
  preferencesTitle: 'Preferințele dumneavoastră',
  preferencesIntro: (org) => `Alegeți cum vă poate folosi ${org} informațiile.`,
  withdrawNotice:
    'Dezactivarea unei opțiuni este la fel de simplă ca activarea ei și are efect imediat. Nu afectează nimic din ce s-a făcut înainte de schimbare.',
  statusOn: 'Activat',
  statusOff: 'Dezactivat',
  turnOff: (purpose) => `Dezactivați: ${purpose}`,
  turnOn: (purpose) => `Activați: ${purpose}`,
  turnOffShort: 'Dezactivați',
  turnOnShort: 'Activați',
  requiredPurpose: 'Necesar pentru a furniza serviciul pe care l-ați cerut.',
  requiredPurposesHeading: 'Necesare pentru solicitările dumneavoastră',
  choicesHeading: 'Opțiunile dumneavoastră',
  saved: (purpose, on) => `Salvat. ${purpose}: ${on ? 'activat' : 'dezactivat'}.`,
  homeTitle: 'Registrul de consimțăminte ConsentKit',
  homeIntro: (org) =>
    `Acest server păstrează înregistrările de consimțământ ale ${org}, fiecare semnată și înlănțuită pentru a putea fi verificată. Oamenii ajung la paginile sale prin linkurile din e-mailuri și formulare (dezabonare, preferințe); aici nu este nimic la care să vă abonați.`,
  homeTeamHeading: 'Pentru echipa care îl administrează',
  homeAdmin: 'Panou de control (autentificare cu o cheie API)',
  homeApi: 'Descrierea API (OpenAPI 3.1)',
  homeKeys: 'Cheile publice ale registrului (JWKS), pentru verificarea confirmărilor',
  homeDocs:
    'Documentație: README.md și dosarul docs din codul sursă ConsentKit; docs/errors.md explică fiecare cod de eroare.',
  formExpired: 'Pagina a fost deschisă prea mult timp, așa că modificarea nu a fost salvată. Încercați din nou.',
  confirmTitle: 'Confirmați alegerea',
  confirmIntro: (org, date) =>
    `Pe ${date}, cineva cu această adresă de e-mail a fost de acord, într-un formular al ${org}, cu:`,
  confirmWhat:
    'Acordul contează doar după ce confirmați că ați fost dumneavoastră. Dacă nu ați fost, nu faceți nimic: nu se va schimba nimic.',
  confirmButton: (purpose) => `Da, sunt de acord: ${purpose}`,
  confirmIgnore: 'Vă puteți retrage acordul oricând, la fel de ușor cum l-ați dat.',
  confirmedTitle: 'Vă mulțumim, alegerea este confirmată',
  confirmedBody: (purpose) => `V-ați dat acordul pentru: ${purpose}. Vă puteți retrage acordul oricând.`,
  confirmNothingTitle: 'Nimic de confirmat',
  confirmNothingBody:
    'Această alegere s-a schimbat de la trimiterea e-mailului, așa că nu mai este nimic de confirmat.',
  yourDataHeading: 'Datele dumneavoastră',
  downloadDataIntro:
    'Descărcați toate alegerile făcute la noi, fiecare cu confirmarea noastră semnată, într-un singur fișier semnat pe care îl puteți verifica singur.',
  downloadData: 'Descărcați datele mele',
  gpcHonored: 'Cererea de refuz a fost respectată',
  gpcHonoredBody:
    'Browserul dumneavoastră a trimis un semnal Global Privacy Control. V-am exclus de la vânzarea și partajarea informațiilor dumneavoastră.',
  notFoundTitle: 'Acest link nu funcționează',
  notFoundBody:
    'Linkul poate fi incomplet sau să nu mai fie valabil. Dacă l-ați copiat dintr-un e-mail, copiați întregul link și încercați din nou.',
  errorTitle: 'Ceva nu a funcționat',
  errorBody: 'Nu am putut finaliza cererea. Nu s-a schimbat nimic. Încercați din nou peste câteva momente.',
  badRequestTitle: 'Nu am putut citi această cerere',
  badRequestBody: 'Reveniți la pagină și folosiți butonul acesteia.',
  tooManyRequestsTitle: 'Prea multe cereri',
  tooManyRequestsBody: 'Am primit prea multe cereri din rețeaua dumneavoastră. Nu s-a schimbat nimic.',
  retryIn: {
    one: (n) => `Încercați din nou peste ${n} secundă.`,
    few: (n) => `Încercați din nou peste ${n} secunde.`,
    other: (n) => `Încercați din nou peste ${n} de secunde.`,
  },
  emailSentBy: (org) =>
    `Acest e-mail vă este trimis de ${org}. Puteți renunța oricând la aceste e-mailuri, cu un singur clic.`,
  emailUnsubscribe: 'Dezabonați-vă de la aceste e-mailuri',
  emailPreferences: 'Gestionați preferințele de confidențialitate',
};
