// @consentkit/widget — public API. Classes and functions only: importing this module registers
// nothing (import '@consentkit/widget/define' for that).

export type { ConfigureOptions, StringOverrides, WidgetConfig } from './config.js';
// --- Configuration and capture ------------------------------------------------------------
export { configure, getConfig, resetConfig } from './config.js';
export type { ConsentCheckboxMode } from './consent-checkbox/consent-checkbox.js';
// --- Elements -----------------------------------------------------------------------------
export { ConsentCheckbox } from './consent-checkbox/consent-checkbox.js';
export { ConsentConfig } from './consent-config/consent-config.js';
export { ConsentNotice } from './consent-notice/consent-notice.js';
export { ConsentOptOut } from './consent-optout/consent-optout.js';
export { ConsentPreferences } from './consent-preferences/consent-preferences.js';
export type { ConsentCapturedDetail } from './events/consent-captured-event.js';
export { ConsentCapturedEvent } from './events/consent-captured-event.js';
export type { ConsentChangeDetail, ConsentInteraction } from './events/consent-change-event.js';
// --- Events -------------------------------------------------------------------------------
export { ConsentChangeEvent } from './events/consent-change-event.js';
export type { ConsentErrorDetail } from './events/consent-error-event.js';
export { ConsentErrorEvent } from './events/consent-error-event.js';
export { DEFAULT_RECORD_FIELD, ensureFormCapture, HOLD_LIMIT_MS } from './form-capture.js';
// --- Strings ------------------------------------------------------------------------------
export { loadLocale, SUPPORTED_LOCALES } from './i18n/locale-tables.js';
export type { PluralText, WidgetStrings } from './i18n/strings.js';
// --- Framework typing ---------------------------------------------------------------------
export type { ConsentKitElementAttributes, ConsentKitElementEvents, ConsentKitElements } from './jsx.js';
