/**
 * The widget's interface strings: their shape, and the helpers that fill them in. English is
 * built in (locales/en.ts); every other language is a chunk of its own (locale-tables.ts). Every
 * string can be overridden per locale through `configure({ strings })` or the policy document's
 * `strings`, so legal teams can change copy without a release. `{purpose}` is replaced with the
 * purpose's localized name, `{count}` with a number.
 */

/** One text per CLDR plural category the language uses; `other` is always there. */
export type PluralText = { readonly other: string } & Partial<Readonly<Record<Intl.LDMLPluralRule, string>>>;

export type WidgetStrings = {
  /** Fallback label of an express checkbox without slotted text. */
  expressLabel: string;
  /** Fallback label of an opt-out checkbox: the box says "don't". */
  optOutLabel: string;
  /** Shown under express boxes: withdrawal must be announced before consent is given (R19). */
  withdrawHint: string;
  required: string;
  /** `<consent-optout>` */
  optOutStateIn: string;
  optOutStateOut: string;
  optOutAction: string;
  optInAction: string;
  /** `<consent-optout>` on an express purpose: off until the person agrees, and says so. */
  expressStateOff: string;
  expressStateOn: string;
  expressGrantAction: string;
  expressWithdrawAction: string;
  /** The wording CCPA regulations and Colorado use for a GPC-honoured opt-out (R48, R50). */
  gpcHonored: string;
  /** `<consent-notice>` table caption and column headers. */
  noticeCaption: string;
  colType: string;
  colWhat: string;
  colCollector: string;
  colPurpose: string;
  colUsers: string;
  colStorage: string;
  colSharedWith: string;
  practicesTitle: string;
  /** Names of the three kinds of consent, as notice headings. */
  basisExpress: string;
  basisImplied: string;
  basisOptOut: string;
  /** `<consent-preferences>` */
  preferencesTitle: string;
  stateGranted: string;
  stateDenied: string;
  controller: string;
  /** `<consent-preferences>` summary under its title: how many of the shown choices are on. */
  choicesOn: PluralText;
};

export type Locale = string;

/** `fr-CA` → `fr`. */
export function primaryLanguage(locale: Locale): string {
  return locale.toLowerCase().split(/[-_]/)[0] ?? 'en';
}

/** Replaces `{name}` placeholders; unknown names stay visible so a missing value is noticed. */
export function format(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}
