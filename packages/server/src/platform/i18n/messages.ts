// Every string the hosted pages show, in each supported locale. Values are plain text: the page
// templates escape them, so translators never need to think about HTML.
import type { Locale } from './locale.js';

export type Messages = {
  languageName: string;
  switchLanguage: string;
  skipToContent: string;
  siteTitle: string;
  footer: string;
  // Unsubscribe page
  unsubscribeTitle: string;
  unsubscribeIntro: (organisation: string) => string;
  unsubscribeFrom: string;
  unsubscribeButton: string;
  unsubscribeNoJs: string;
  unsubscribedTitle: string;
  unsubscribedBody: string;
  alreadyUnsubscribed: string;
  /** Before the POST: what the person receives now (opt-out purposes count until they unsubscribe). */
  subscribedTo: (purposes: string) => string;
  managePreferences: string;
  // Preference centre
  preferencesTitle: string;
  preferencesIntro: (organisation: string) => string;
  withdrawNotice: string;
  statusOn: string;
  statusOff: string;
  turnOff: (purpose: string) => string;
  turnOn: (purpose: string) => string;
  turnOffShort: string;
  turnOnShort: string;
  requiredPurpose: string;
  requiredPurposesHeading: string;
  choicesHeading: string;
  /** After a change on the preference page: the purpose and where it now stands. */
  saved: (purpose: string, on: boolean) => string;
  // The ledger's own address, `/`: what this server is, for whoever opens it
  homeTitle: string;
  homeIntro: (organisation: string) => string;
  homeTeamHeading: string;
  homeAdmin: string;
  homeApi: string;
  homeKeys: string;
  homeDocs: string;
  formExpired: string;
  // Confirmation page (confirmed opt-in for a grant made on a form)
  confirmTitle: string;
  confirmIntro: (organisation: string, date: string) => string;
  confirmWhat: string;
  confirmButton: (purpose: string) => string;
  confirmIgnore: string;
  confirmedTitle: string;
  confirmedBody: (purpose: string) => string;
  confirmNothingTitle: string;
  confirmNothingBody: string;
  // A person's signed export (the preference centre's "Download my data")
  yourDataHeading: string;
  downloadDataIntro: string;
  downloadData: string;
  // GPC (R48 (c)(6): the page must say the signal was processed)
  gpcHonored: string;
  gpcHonoredBody: string;
  // Errors
  notFoundTitle: string;
  notFoundBody: string;
  errorTitle: string;
  errorBody: string;
  badRequestTitle: string;
  badRequestBody: string;
};

const en: Messages = {
  languageName: 'English',
  switchLanguage: 'Français',
  skipToContent: 'Skip to content',
  siteTitle: 'Your privacy choices',
  footer: 'You can change these choices at any time. No account or password is needed.',
  unsubscribeTitle: 'Unsubscribe',
  unsubscribeIntro: (org) => `Stop receiving these emails from ${org}.`,
  unsubscribeFrom: 'You will be unsubscribed from:',
  unsubscribeButton: 'Unsubscribe',
  unsubscribeNoJs: 'One click is enough. Nothing else is asked of you.',
  unsubscribedTitle: 'You are unsubscribed',
  unsubscribedBody: 'Your choice took effect immediately. You will not receive these emails any more.',
  alreadyUnsubscribed: 'You are already unsubscribed.',
  subscribedTo: (purposes) => `You are subscribed to ${purposes}: you have not unsubscribed.`,
  managePreferences: 'Manage all your preferences',
  preferencesTitle: 'Your preferences',
  preferencesIntro: (org) => `Choose how ${org} may use your information.`,
  withdrawNotice:
    'Turning a choice off is as easy as turning it on, and it takes effect at once. It does not affect anything done before you changed it.',
  statusOn: 'On',
  statusOff: 'Off',
  turnOff: (purpose) => `Turn off: ${purpose}`,
  turnOn: (purpose) => `Turn on: ${purpose}`,
  turnOffShort: 'Turn off',
  turnOnShort: 'Turn on',
  requiredPurpose: 'Needed to provide the service you asked for.',
  requiredPurposesHeading: 'Needed for your requests',
  choicesHeading: 'Your choices',
  saved: (purpose, on) => `Saved. ${purpose}: ${on ? 'on' : 'off'}.`,
  homeTitle: 'ConsentKit consent ledger',
  homeIntro: (org) =>
    `This server keeps ${org}’s consent records, each one signed and chained so it can be verified. People reach its pages through the links in emails and forms (unsubscribe, preferences); there is nothing to sign up for here.`,
  homeTeamHeading: 'For the team that runs it',
  homeAdmin: 'Dashboard (sign in with an API key)',
  homeApi: 'API description (OpenAPI 3.1)',
  homeKeys: 'The ledger’s public keys (JWKS), to verify receipts',
  homeDocs:
    'Documentation: README.md and the docs folder of the ConsentKit source; docs/errors.md explains every error code.',
  formExpired: 'This page was open for too long, so your change was not saved. Please try again.',
  confirmTitle: 'Confirm your choice',
  confirmIntro: (org, date) => `On ${date}, someone agreed on a form of ${org}, with this email address, to:`,
  confirmWhat: 'It counts only once you confirm it was you. If it was not you, do nothing: nothing will change.',
  confirmButton: (purpose) => `Yes, I agree: ${purpose}`,
  confirmIgnore: 'You can withdraw at any time, as easily as you agree.',
  confirmedTitle: 'Thank you, your choice is confirmed',
  confirmedBody: (purpose) => `You agreed to: ${purpose}. You can withdraw at any time.`,
  confirmNothingTitle: 'Nothing to confirm',
  confirmNothingBody: 'This choice was changed since the email was sent, so there is nothing left to confirm.',
  yourDataHeading: 'Your data',
  downloadDataIntro:
    'Download every choice you made with us, each with our signed receipt, as one signed file you can check yourself.',
  downloadData: 'Download my data',
  gpcHonored: 'Opt-Out Request Honored',
  gpcHonoredBody:
    'Your browser sent a Global Privacy Control signal. We have opted you out of the sale and sharing of your information.',
  notFoundTitle: 'This link does not work',
  notFoundBody:
    'The link may be incomplete or no longer valid. If you copied it from an email, copy the whole link and try again.',
  errorTitle: 'Something went wrong',
  errorBody: 'We could not complete your request. Nothing was changed. Please try again in a moment.',
  badRequestTitle: 'We could not read this request',
  badRequestBody: 'Please go back to the page and use its button.',
};

const fr: Messages = {
  languageName: 'Français',
  switchLanguage: 'English',
  skipToContent: 'Aller au contenu',
  siteTitle: 'Vos choix de confidentialité',
  footer: 'Vous pouvez modifier ces choix à tout moment. Aucun compte ni mot de passe n’est nécessaire.',
  unsubscribeTitle: 'Se désabonner',
  unsubscribeIntro: (org) => `Ne plus recevoir ces courriels de ${org}.`,
  unsubscribeFrom: 'Vous serez désabonné de :',
  unsubscribeButton: 'Me désabonner',
  unsubscribeNoJs: 'Un seul clic suffit. Rien d’autre ne vous est demandé.',
  unsubscribedTitle: 'Vous êtes désabonné',
  unsubscribedBody: 'Votre choix a pris effet immédiatement. Vous ne recevrez plus ces courriels.',
  alreadyUnsubscribed: 'Vous êtes déjà désabonné.',
  subscribedTo: (purposes) => `Vous êtes abonné à ${purposes} : vous ne vous êtes pas désabonné.`,
  managePreferences: 'Gérer toutes vos préférences',
  preferencesTitle: 'Vos préférences',
  preferencesIntro: (org) => `Choisissez comment ${org} peut utiliser vos renseignements.`,
  withdrawNotice:
    'Désactiver un choix est aussi simple que de l’activer, et prend effet immédiatement. Cela ne remet pas en cause ce qui a été fait avant la modification.',
  statusOn: 'Activé',
  statusOff: 'Désactivé',
  turnOff: (purpose) => `Désactiver : ${purpose}`,
  turnOn: (purpose) => `Activer : ${purpose}`,
  turnOffShort: 'Désactiver',
  turnOnShort: 'Activer',
  requiredPurpose: 'Nécessaire pour fournir le service que vous avez demandé.',
  requiredPurposesHeading: 'Nécessaire à vos demandes',
  choicesHeading: 'Vos choix',
  saved: (purpose, on) => `Enregistré. ${purpose} : ${on ? 'activé' : 'désactivé'}.`,
  homeTitle: 'Registre de consentements ConsentKit',
  homeIntro: (org) =>
    `Ce serveur conserve les consentements recueillis par ${org}, chacun signé et chaîné pour pouvoir être vérifié. On arrive à ses pages par les liens des courriels et des formulaires (désabonnement, préférences) ; il n’y a rien à quoi s’inscrire ici.`,
  homeTeamHeading: 'Pour l’équipe qui l’exploite',
  homeAdmin: 'Tableau de bord (connexion avec une clé d’API)',
  homeApi: 'Description de l’API (OpenAPI 3.1)',
  homeKeys: 'Les clés publiques du registre (JWKS), pour vérifier les reçus',
  homeDocs:
    'Documentation : README.md et le dossier docs des sources de ConsentKit ; docs/errors.md explique chaque code d’erreur.',
  formExpired:
    'Cette page est restée ouverte trop longtemps ; votre modification n’a pas été enregistrée. Veuillez réessayer.',
  confirmTitle: 'Confirmez votre choix',
  confirmIntro: (org, date) =>
    `Le ${date}, quelqu’un a donné son accord sur un formulaire de ${org}, avec cette adresse courriel, pour :`,
  confirmWhat:
    'Cet accord ne compte qu’une fois que vous confirmez que c’était vous. Si ce n’était pas vous, ne faites rien : rien ne changera.',
  confirmButton: (purpose) => `Oui, j’accepte : ${purpose}`,
  confirmIgnore: 'Vous pouvez retirer votre accord à tout moment, aussi simplement que vous l’avez donné.',
  confirmedTitle: 'Merci, votre choix est confirmé',
  confirmedBody: (purpose) => `Vous avez accepté : ${purpose}. Vous pouvez retirer votre accord à tout moment.`,
  confirmNothingTitle: 'Rien à confirmer',
  confirmNothingBody: 'Ce choix a été modifié depuis l’envoi du courriel : il ne reste rien à confirmer.',
  yourDataHeading: 'Vos données',
  downloadDataIntro:
    'Téléchargez tous les choix que vous avez faits auprès de nous, chacun avec notre reçu signé, en un seul fichier signé que vous pouvez vérifier vous-même.',
  downloadData: 'Télécharger mes données',
  gpcHonored: 'Demande de retrait respectée',
  gpcHonoredBody:
    'Votre navigateur a envoyé un signal Global Privacy Control. Nous avons retiré votre accord à la vente et au partage de vos renseignements.',
  notFoundTitle: 'Ce lien ne fonctionne pas',
  notFoundBody:
    'Le lien est peut-être incomplet ou n’est plus valide. Si vous l’avez copié depuis un courriel, copiez le lien en entier et réessayez.',
  errorTitle: 'Un problème est survenu',
  errorBody: 'Votre demande n’a pas pu être traitée. Rien n’a été modifié. Veuillez réessayer dans un instant.',
  badRequestTitle: 'Cette demande est illisible',
  badRequestBody: 'Veuillez revenir à la page et utiliser son bouton.',
};

const catalogue: Record<Locale, Messages> = { en, fr };

export function messagesFor(locale: Locale): Messages {
  return catalogue[locale];
}
