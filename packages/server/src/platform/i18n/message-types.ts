// The shape every locale's messages file fills in (messages/<tag>.ts), apart from the catalogue
// that gathers them (messages.ts) so a locale file can name it without an import cycle.

export type PluralCategory = Intl.LDMLPluralRule;
/** One phrase per plural category the language uses; `other` always. The count comes formatted. */
export type Plural = Partial<Record<PluralCategory, (count: string) => string>> & {
  other: (count: string) => string;
};

export type Messages = {
  /** The language's name in itself ("Deutsch"), shown in the switcher with its lang attribute. */
  languageName: string;
  /** The switcher's label ("Language"), in the page's language. */
  languageLabel: string;
  skipToContent: string;
  siteTitle: string;
  footer: string;
  /**
   * Said when the policy has no translation of its purposes into the page's language, so they are
   * shown in the policy's own language (named, in the page's language, by Intl.DisplayNames).
   */
  policyLanguageNote: (language: string) => string;
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
  // GPC (R48 (c)(6): the page must say the signal was processed). Pages in other languages show
  // the translated heading followed by the English wording R50 names (page-parts.ts).
  gpcHonored: string;
  gpcHonoredBody: string;
  // Errors
  notFoundTitle: string;
  notFoundBody: string;
  errorTitle: string;
  errorBody: string;
  badRequestTitle: string;
  badRequestBody: string;
  tooManyRequestsTitle: string;
  tooManyRequestsBody: string;
  /** "Please try again in N seconds." */
  retryIn: Plural;
  // The footer of a marketing email (the sender's template puts it under its own content)
  emailSentBy: (organisation: string) => string;
  emailUnsubscribe: string;
  emailPreferences: string;
};
