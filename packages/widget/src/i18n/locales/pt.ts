// Portuguese (Brazilian usage, as CLDR `pt`) interface strings: a chunk of its own, loaded when a page or element uses the language.
import type { WidgetStrings } from '../strings.js';

const pt: WidgetStrings = {
  expressLabel: 'Sim, concordo com: {purpose}.',
  optOutLabel: 'Não usar minhas informações para: {purpose}.',
  withdrawHint: 'Você pode retirar seu consentimento a qualquer momento.',
  required: 'obrigatório',
  optOutStateIn: 'Você não pediu exclusão de: {purpose}.',
  optOutStateOut: 'Você pediu exclusão de: {purpose}.',
  optOutAction: 'Pedir exclusão de: {purpose}',
  optInAction: 'Voltar a participar de: {purpose}',
  expressStateOff: '{purpose}: desativado. Só fazemos isso com a sua concordância.',
  expressStateOn: '{purpose}: ativado, porque você concordou.',
  expressGrantAction: 'Concordar com: {purpose}',
  expressWithdrawAction: 'Retirar minha concordância com: {purpose}',
  gpcHonored: 'Pedido de exclusão atendido',
  noticeCaption: 'Informações que coletamos',
  colType: 'Tipo de informação',
  colWhat: 'O que coletamos',
  colCollector: 'Quem coleta',
  colPurpose: 'Finalidade',
  colUsers: 'Quem usa',
  colStorage: 'Armazenadas por',
  colSharedWith: 'Compartilhadas com',
  practicesTitle: 'Como pedimos seu consentimento',
  basisExpress: 'Consentimento expresso',
  basisImplied: 'Consentimento implícito',
  basisOptOut: 'Consentimento com opção de exclusão',
  preferencesTitle: 'Suas preferências de privacidade',
  stateGranted: 'Ativado',
  stateDenied: 'Desativado',
  controller: 'Controlador',
  choicesOn: { one: '{count} opção ativada', many: '{count} de opções ativadas', other: '{count} opções ativadas' },
};

export default pt;
