/**
 * Page-level configuration, set once and shared by every element: the policy the elements
 * render from, the SDK client records go through, the locale and string overrides. Elements
 * subscribe and re-render when it changes (the policy usually arrives after first paint).
 */
import type { Policy } from '@consentkit/core';
import type { ConsentClient } from '@consentkit/sdk';
import type { WidgetStrings } from './i18n/strings.js';
import { failWith } from './internal/warn.js';

export type StringOverrides = Readonly<Record<string, Partial<WidgetStrings>>>;

/** Options for {@link configure}; every field is optional and merges over the current config. */
export type ConfigureOptions = {
  /** A client from `createConsentClient()` (frameworks, custom backends, tests). */
  client?: ConsentClient;
  /** Ledger base URL; with no `client`, the widget creates an SDK client with an HTTP backend. */
  endpoint?: string;
  /** The policy document, or the URL to fetch it from. */
  policy?: Policy | string;
  /** BCP 47 locale; an element's own `lang` (or nearest ancestor's) wins. */
  locale?: string;
  /** ISO 3166 code the person is in (`DE`, `US-CA`); picks per-jurisdiction purpose bases. */
  jurisdiction?: string;
  /** String overrides per language (`{ fr: { gpcHonored: '…' } }`). */
  strings?: StringOverrides;
  /** Turns on the SDK's Google Consent Mode v2 bridge for the client built from `endpoint`. */
  consentMode?: boolean;
};

export type WidgetConfig = {
  readonly client: ConsentClient | undefined;
  readonly endpoint: string | undefined;
  readonly policy: Policy | undefined;
  readonly policyUrl: string | undefined;
  readonly locale: string | undefined;
  readonly jurisdiction: string | undefined;
  readonly strings: StringOverrides;
  readonly consentMode: boolean;
};

const EMPTY: WidgetConfig = {
  client: undefined,
  endpoint: undefined,
  policy: undefined,
  policyUrl: undefined,
  locale: undefined,
  jurisdiction: undefined,
  strings: {},
  consentMode: false,
};

let current: WidgetConfig = EMPTY;
let policyLoad = 0;
const listeners = new Set<(config: WidgetConfig) => void>();

/** The configuration now in force. */
export function getConfig(): WidgetConfig {
  return current;
}

/** Calls `listener` on every change; returns the unsubscribe function. */
export function subscribeConfig(listener: (config: WidgetConfig) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Renders every element again, the configuration unchanged (a table of strings has arrived). */
export function refreshConfig(): void {
  publish(current);
}

function publish(next: WidgetConfig): void {
  current = next;
  for (const listener of listeners) listener(current);
}

/**
 * Configures every ConsentKit element on the page. Call it once (frameworks: at start-up), or
 * use `<consent-config>` for pages without JavaScript of their own.
 *
 * @example
 * configure({ endpoint: 'https://ledger.example.com', policy: '/policy.json', locale: 'fr-CA' });
 */
export function configure(options: ConfigureOptions): void {
  const { policy, ...rest } = options;
  const next: { -readonly [K in keyof WidgetConfig]: WidgetConfig[K] } = { ...current };
  // Each as given, when given.
  for (const name of ['client', 'consentMode', 'locale', 'jurisdiction'] as const) {
    if (rest[name] !== undefined) (next as Record<string, unknown>)[name] = rest[name];
  }
  if (rest.endpoint !== undefined) next.endpoint = normalizeEndpoint(rest.endpoint);
  if (rest.strings !== undefined) next.strings = { ...current.strings, ...rest.strings };
  if (typeof policy === 'object') {
    next.policy = policy;
    next.policyUrl = undefined;
    policyLoad++; // a later document wins over an earlier fetch still in flight
  } else if (typeof policy === 'string' && policy !== current.policyUrl) {
    next.policyUrl = policy;
    void loadPolicy(policy);
  } else if (policy === undefined && !current.policy && !current.policyUrl && next.endpoint) {
    // The ledger serves the current policy (DESIGN.md: GET /v1/policy).
    next.policyUrl = `${next.endpoint}/v1/policy`;
    void loadPolicy(next.policyUrl);
  }
  publish(next);
}

/**
 * An absolute ledger URL without a trailing slash: `/` or `/.` (the page's own origin) and other
 * relative forms resolve against the page, so the HTTP backend always gets a usable base.
 */
function normalizeEndpoint(endpoint: string): string {
  const absolute = new URL(endpoint, document.baseURI).href;
  return absolute.replace(/\/+$/, '');
}

/** Forgets everything (tests, and single-page apps that switch tenants). */
export function resetConfig(): void {
  policyLoad++;
  publish(EMPTY);
}

async function loadPolicy(url: string): Promise<void> {
  const ticket = ++policyLoad;
  try {
    const { fetchPolicy } = await import('./internal/policy-loader.js');
    const policy = await fetchPolicy({ url });
    if (ticket === policyLoad) publish({ ...current, policy });
  } catch (error) {
    // Elements keep rendering their slotted text without a policy: a failed fetch must not
    // break the host form (declining or failing never blocks submission).
    // The same words as the client's own policy load, so one cause makes one line and one event.
    failWith(error, 'policy-load-failed', undefined);
  }
}
