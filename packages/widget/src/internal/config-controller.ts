/**
 * Connects an element to the page configuration: re-renders the host whenever the policy,
 * client, locale or strings change, and resolves the host's locale and strings.
 */
import {
  findPurpose,
  type LocalizedText,
  localizeWithLocale,
  type Policy,
  type Purpose,
  unknownPurposeError,
} from '@consentkit/core';
import { getConfig, subscribeConfig, type WidgetConfig } from '../config.js';
import { loadedTable, pendingTables, tableFor } from '../i18n/locale-tables.js';
import { primaryLanguage, type WidgetStrings } from '../i18n/strings.js';
import type { Controller, RenderElement } from './render-element.js';
import { failWith } from './warn.js';

type Host = RenderElement;

/** Words to show and the language they are in: what a record's `locale` names (R17). */
export type Localized = { text: string; locale: string };

/** A sentence built from interface strings around policy text, all in one language. */
export type Phrase = Localized & { strings: WidgetStrings };

/** Policies may carry UI string overrides beside their own text; core's Policy type has no slot for them yet. */
type PolicyWithStrings = Policy & { strings?: Record<string, Partial<WidgetStrings>> };

export class ConfigController implements Controller {
  readonly host: Host;
  private stopListening: (() => void) | undefined;
  private reportedUnknown: string | undefined;

  constructor(host: Host) {
    this.host = host;
    host.addController(this);
  }

  hostConnected(): void {
    this.stopListening = subscribeConfig(() => this.host.requestUpdate());
  }

  hostDisconnected(): void {
    this.stopListening?.();
    this.stopListening = undefined;
  }

  /**
   * `data-locale-pending` hides the host (hostStyles) while its language is on its way: no English
   * shows first. A `purpose` the policy does not have can never be recorded (the SDK refuses it
   * at submit): say so as soon as the policy is known, on the element.
   */
  hostUpdated(): void {
    this.host.toggleAttribute('data-locale-pending', pendingTables.has(tableFor(this.locale)));
    const policy = this.policy;
    const id = (this.host as { purpose?: unknown }).purpose;
    if (!policy || !Array.isArray(policy.purposes) || typeof id !== 'string' || !id || findPurpose(policy, id)) return;
    const key = `${policy.id}@${policy.version}#${id}`;
    if (this.reportedUnknown === key) return;
    this.reportedUnknown = key;
    failWith(unknownPurposeError(policy, id), 'capture-failed', `<${this.host.localName} purpose="${id}">`, {
      target: this.host,
    });
  }

  get config(): WidgetConfig {
    return getConfig();
  }

  get policy(): Policy | undefined {
    return getConfig().policy;
  }

  /** The element's own or nearest ancestor's `lang`, then configure(), then the document's. */
  get locale(): string {
    const own = this.host.closest('[lang]')?.getAttribute('lang');
    return own || getConfig().locale || document.documentElement.lang || navigator.language || 'en';
  }

  /**
   * The locale of the interface strings shown now: the element's once its table has loaded (or
   * when the page brings its own strings for a language we have none for), English until then.
   */
  get shownLocale(): string {
    const locale = this.locale;
    return this.stringsIn(locale) ? locale : 'en';
  }

  /** Built-in strings for the shown language, then configure({ strings }), then the policy's. */
  get strings(): WidgetStrings {
    return this.stringsIn(this.shownLocale) ?? this.english();
  }

  /**
   * The strings for `locale`, or undefined when it has no table here yet (its chunk is then
   * requested and the host re-renders when it lands) and no overrides of the page's own.
   */
  private stringsIn(locale: string): WidgetStrings | undefined {
    const key = tableFor(locale);
    const table = key ? loadedTable(key) : undefined;
    const config = getConfig();
    const policy = config.policy as PolicyWithStrings | undefined;
    const names = [primaryLanguage(locale), key ?? '', locale];
    // Page overrides win over built-ins; the policy's (legal copy) win over the page's.
    const overrides = [...names.map((name) => config.strings[name]), ...names.map((name) => policy?.strings?.[name])];
    if (!table && (key || !overrides.some(Boolean))) return undefined;
    return Object.assign({}, loadedTable('en'), table, ...overrides) as WidgetStrings;
  }

  private english(): WidgetStrings {
    return this.stringsIn('en') as WidgetStrings;
  }

  /** Policy text in the element's language when the policy has it, else the policy's own. */
  localized(value: LocalizedText): Localized {
    const picked = localizeWithLocale(value, this.locale, this.policy?.defaultLocale ?? 'en');
    return { text: picked.text, locale: this.wordsLocale(picked.locale) };
  }

  /**
   * Policy text inside an interface sentence, in one language: the element's when the policy
   * has a translation into it, otherwise the policy's (the interface strings follow the policy's
   * words, not the other way round). While that language's strings are still loading, or when
   * it has none, the whole sentence is English, which every policy has.
   */
  phrase(value: LocalizedText): Phrase {
    const picked = this.localized(value);
    const strings = this.stringsIn(picked.locale);
    return strings ? { ...picked, strings } : { ...localizeWithLocale(value, 'en'), strings: this.english() };
  }

  /** A purpose's title inside an interface sentence; a purpose the policy lacks shows its id. */
  titlePhrase(id: string): Phrase {
    const purpose = this.purpose(id);
    return this.phrase(purpose ? purpose.title : { [this.shownLocale]: id });
  }

  /** The element's own tag when the words are in its language (`fr-CA` over `fr`), else theirs. */
  private wordsLocale(picked: string): string {
    return primaryLanguage(picked) === primaryLanguage(this.locale) ? this.locale : picked;
  }

  purpose(id: string): Purpose | undefined {
    const policy = this.policy;
    // A malformed document (no purposes) must not break the host page's form.
    return policy && id && Array.isArray(policy.purposes) ? findPurpose(policy, id) : undefined;
  }

  /** Localizes policy text for this element, falling back to the policy's default locale. */
  text(value: LocalizedText | undefined): string {
    return value ? this.localized(value).text : '';
  }
}
