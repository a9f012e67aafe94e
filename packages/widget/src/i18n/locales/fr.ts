// Canadian French (the policy this product was built from is Canadian) interface strings: a chunk of its own, loaded when a page or element uses the language.
import type { WidgetStrings } from '../strings.js';

const fr: WidgetStrings = {
  expressLabel: 'Oui, j’accepte : {purpose}.',
  optOutLabel: 'Ne pas utiliser mes renseignements pour : {purpose}.',
  withdrawHint: 'Vous pouvez retirer votre consentement à tout moment.',
  required: 'obligatoire',
  optOutStateIn: 'Vous n’êtes pas retiré de : {purpose}.',
  optOutStateOut: 'Vous êtes retiré de : {purpose}.',
  optOutAction: 'Me retirer de : {purpose}',
  optInAction: 'Me réinscrire à : {purpose}',
  expressStateOff: '{purpose} : désactivé. Nous ne le faisons qu’avec votre accord.',
  expressStateOn: '{purpose} : activé, avec votre accord.',
  expressGrantAction: 'J’accepte : {purpose}',
  expressWithdrawAction: 'Retirer mon accord : {purpose}',
  gpcHonored: 'Demande de retrait respectée',
  noticeCaption: 'Renseignements que nous recueillons',
  colType: 'Type de renseignements',
  colWhat: 'Ce que nous recueillons',
  colCollector: 'Qui les recueille',
  colPurpose: 'Finalité',
  colUsers: 'Qui les utilise',
  colStorage: 'Conservés par',
  colSharedWith: 'Communiqués à',
  practicesTitle: 'Comment nous demandons votre consentement',
  basisExpress: 'Consentement exprès',
  basisImplied: 'Consentement tacite',
  basisOptOut: 'Consentement avec option de retrait',
  preferencesTitle: 'Vos préférences de confidentialité',
  stateGranted: 'Activé',
  stateDenied: 'Désactivé',
  controller: 'Responsable',
  choicesOn: { one: '{count} réglage activé', many: '{count} de réglages activés', other: '{count} réglages activés' },
};

export default fr;
