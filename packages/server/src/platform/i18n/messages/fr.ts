// Français (France et Canada : « courriel » se comprend dans les deux).
import type { Messages } from '../message-types.js';

export const fr: Messages = {
  languageName: 'Français',
  languageLabel: 'Langue',
  skipToContent: 'Aller au contenu',
  siteTitle: 'Vos choix de confidentialité',
  footer: 'Vous pouvez modifier ces choix à tout moment. Aucun compte ni mot de passe n’est nécessaire.',
  policyLanguageNote: (language) =>
    `Les choix sont décrits en ${language}, la langue de la politique de confidentialité : elle n’est pas encore traduite dans cette langue.`,
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
  tooManyRequestsTitle: 'Trop de requêtes',
  tooManyRequestsBody: 'Nous avons reçu trop de requêtes de votre réseau. Rien n’a été modifié.',
  retryIn: {
    one: (n) => `Veuillez réessayer dans ${n} seconde.`,
    many: (n) => `Veuillez réessayer dans ${n} de secondes.`,
    other: (n) => `Veuillez réessayer dans ${n} secondes.`,
  },
  emailSentBy: (org) =>
    `${org} vous a envoyé ce courriel. Vous pouvez cesser de recevoir ces courriels à tout moment, en un clic.`,
  emailUnsubscribe: 'Se désabonner de ces courriels',
  emailPreferences: 'Gérer vos préférences de confidentialité',
};
