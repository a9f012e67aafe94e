/**
 * Google Consent Mode v2 bridge (opt-in: nothing here runs unless the host asks for it, R54).
 * `default` is issued first, with all seven types (R51, R52); `update` follows on every change of
 * the mapped values (R53). The purpose → type mapping comes from the policy's `consentMode` field.
 */
import { CONSENT_MODE_TYPES, type ConsentModeType, type ConsentState, type Policy } from '@consentkit/core';

export type ConsentModeValue = 'granted' | 'denied';
export type ConsentModeSettings = Record<ConsentModeType, ConsentModeValue>;

/** The `gtag()` function, or anything with its calling convention. */
export type Gtag = (command: 'consent', action: 'default' | 'update', settings: Record<string, unknown>) => void;

export type ConsentModeOptions = {
  /** Defaults to `window.gtag`, else a `dataLayer` push shim like Google's snippet. */
  gtag?: Gtag;
  /** Values before the person's choices are known; every type not given is `denied`, except `security_storage`. */
  defaults?: Partial<ConsentModeSettings>;
  /** `wait_for_update` (ms) for the `default` command: time for the stored choice to be applied. */
  waitForUpdate?: number;
  /** `region` for the `default` command (ISO 3166-1 / 3166-2 codes). */
  region?: string[];
};

/** GPC opts out of sending user data to Google for ads and of personalised ads (R50, R54). */
const GPC_DENIED: readonly ConsentModeType[] = ['ad_user_data', 'ad_personalization'];

export function defaultConsentMode(overrides: Partial<ConsentModeSettings> = {}): ConsentModeSettings {
  const settings = {} as ConsentModeSettings;
  for (const type of CONSENT_MODE_TYPES) {
    // Strictly necessary storage needs no consent (R54); everything else waits for a choice.
    settings[type] = overrides[type] ?? (type === 'security_storage' ? 'granted' : 'denied');
  }
  return settings;
}

export type MapConsentModeOptions = {
  policy: Policy;
  state: ConsentState;
  gpc: boolean | null;
  defaults?: Partial<ConsentModeSettings>;
};

/**
 * Maps per-purpose state to the seven types: a type is granted only when every purpose mapped to
 * it is granted (one refused purpose is enough to deny the storage it needs). Unmapped types keep
 * their defaults. GPC forces `ad_user_data` and `ad_personalization` to denied.
 */
export function mapConsentMode({ policy, state, gpc, defaults }: MapConsentModeOptions): ConsentModeSettings {
  const settings = defaultConsentMode(defaults);
  for (const type of CONSENT_MODE_TYPES) {
    const purposes = policy.purposes.filter((p) => p.consentMode?.includes(type));
    if (purposes.length === 0) continue;
    settings[type] = purposes.every((p) => state[p.id]?.status === 'granted') ? 'granted' : 'denied';
  }
  if (gpc === true) for (const type of GPC_DENIED) settings[type] = 'denied';
  return settings;
}

type GtagWindow = { gtag?: unknown; dataLayer?: unknown[] };

function resolveGtag(): Gtag {
  const w = globalThis as GtagWindow;
  if (typeof w.gtag === 'function') return w.gtag as Gtag;
  // Google's own snippet: gtag pushes its `arguments` object, which is what GTM expects to read.
  w.dataLayer ??= [];
  const dataLayer = w.dataLayer;
  return function gtag() {
    // biome-ignore lint/complexity/noArguments: GTM reads the Arguments object, not an array.
    dataLayer.push(arguments);
  } as unknown as Gtag;
}

export type ConsentModeBridge = {
  /** Issues `update` when the mapped values differ from the last ones sent (always the first time). */
  update(options: MapConsentModeOptions): void;
};

/**
 * Issues `gtag('consent', 'default', …)` at once — call it before any tag sends measurement data
 * — and returns the bridge that issues `update`s.
 *
 * @example
 * const bridge = createConsentModeBridge({ waitForUpdate: 500 });
 * bridge.update({ policy, state: await client.state(), gpc: client.gpcSignal });
 */
export function createConsentModeBridge(options: ConsentModeOptions = {}): ConsentModeBridge {
  const gtag = options.gtag ?? resolveGtag();
  const defaults = defaultConsentMode(options.defaults);
  gtag('consent', 'default', {
    ...defaults,
    ...(options.waitForUpdate === undefined ? {} : { wait_for_update: options.waitForUpdate }),
    ...(options.region === undefined ? {} : { region: options.region }),
  });
  let last: string | undefined;
  return {
    update(mapOptions) {
      const settings = mapConsentMode({ ...mapOptions, defaults: { ...defaults, ...mapOptions.defaults } });
      const key = JSON.stringify(settings);
      if (key === last) return;
      last = key;
      gtag('consent', 'update', { ...settings });
    },
  };
}
