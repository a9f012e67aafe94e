// Spanish interface strings: a chunk of its own, loaded when a page or element uses the language.
import type { WidgetStrings } from '../strings.js';

const es: WidgetStrings = {
  expressLabel: 'Sí, acepto: {purpose}.',
  optOutLabel: 'No usar mi información para: {purpose}.',
  withdrawHint: 'Puede retirar su consentimiento en cualquier momento.',
  required: 'obligatorio',
  optOutStateIn: 'No se ha excluido de: {purpose}.',
  optOutStateOut: 'Se ha excluido de: {purpose}.',
  optOutAction: 'Excluirme de: {purpose}',
  optInAction: 'Volver a participar en: {purpose}',
  expressStateOff: '{purpose}: desactivado. Solo lo hacemos si usted acepta.',
  expressStateOn: '{purpose}: activado, porque usted aceptó.',
  expressGrantAction: 'Acepto: {purpose}',
  expressWithdrawAction: 'Retirar mi aceptación: {purpose}',
  gpcHonored: 'Solicitud de exclusión atendida',
  noticeCaption: 'Información que recopilamos',
  colType: 'Tipo de información',
  colWhat: 'Qué recopilamos',
  colCollector: 'Quién la recopila',
  colPurpose: 'Finalidad',
  colUsers: 'Quién la usa',
  colStorage: 'Almacenada por',
  colSharedWith: 'Compartida con',
  practicesTitle: 'Cómo pedimos su consentimiento',
  basisExpress: 'Consentimiento expreso',
  basisImplied: 'Consentimiento tácito',
  basisOptOut: 'Consentimiento con opción de exclusión',
  preferencesTitle: 'Sus preferencias de privacidad',
  stateGranted: 'Activado',
  stateDenied: 'Desactivado',
  controller: 'Responsable',
  choicesOn: {
    one: '{count} opción activada',
    many: '{count} de opciones activadas',
    other: '{count} opciones activadas',
  },
};

export default es;
