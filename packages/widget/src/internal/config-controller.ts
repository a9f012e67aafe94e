/**
 * Connects an element to the page configuration: re-renders the host whenever the policy,
 * client, locale or strings change, and resolves the host's locale and strings.
 */
import { findPurpose, localize, type Policy, type Purpose, unknownPurposeError } from '@consentkit/core';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { getConfig, subscribeConfig, type WidgetConfig } from '../config.js';
import { BUILT_IN_STRINGS, primaryLanguage, type WidgetStrings } from '../i18n/strings.js';
import { failWith } from './warn.js';

type Host = ReactiveControllerHost & HTMLElement;

/** Policies may carry UI string overrides beside their own text; core's Policy type has no slot for them yet. */
type PolicyWithStrings = Policy & { strings?: Record<string, Partial<WidgetStrings>> };

export class ConfigController implements ReactiveController {
  readonly host: Host;
  private unsubscribe: (() => void) | undefined;
  private reportedUnknown: string | undefined;

  constructor(host: Host) {
    this.host = host;
    host.addController(this);
  }

  hostConnected(): void {
    this.unsubscribe = subscribeConfig(() => this.host.requestUpdate());
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /**
   * A `purpose` the policy does not have can never be recorded (the SDK refuses it at submit):
   * say so as soon as the policy is known, on the element, instead of at the first submission.
   */
  hostUpdated(): void {
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

  /** Built-in strings for the language, then configure({ strings }), then the policy's. */
  get strings(): WidgetStrings {
    const language = primaryLanguage(this.locale);
    const config = getConfig();
    const policy = config.policy as PolicyWithStrings | undefined;
    return {
      ...BUILT_IN_STRINGS.en,
      ...BUILT_IN_STRINGS[language],
      ...config.strings[language],
      ...config.strings[this.locale],
      ...policy?.strings?.[language],
      ...policy?.strings?.[this.locale],
    } as WidgetStrings;
  }

  purpose(id: string): Purpose | undefined {
    const policy = this.policy;
    // A malformed document (no purposes) must not break the host page's form.
    return policy && id && Array.isArray(policy.purposes) ? findPurpose(policy, id) : undefined;
  }

  /** Localizes policy text for this element, falling back to the policy's default locale. */
  text(value: Record<string, string> | undefined): string {
    return value ? localize(value, this.locale, this.policy?.defaultLocale ?? 'en') : '';
  }
}
