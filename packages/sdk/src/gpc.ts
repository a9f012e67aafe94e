/**
 * Global Privacy Control in the page. The signal is fixed per navigation (R46), so it is read
 * once per page and cached; a change applies from the next page.
 */
import type { Policy } from '@consentkit/core';

let signalAtLoad: boolean | null | undefined;

/**
 * `navigator.globalPrivacyControl` as seen on this page: `true`, `false`, or `null` where the
 * browser does not expose it (or outside a browser).
 */
export function readGpcSignal(): boolean | null {
  if (signalAtLoad === undefined) {
    const nav: { globalPrivacyControl?: unknown } | undefined =
      typeof navigator === 'undefined' ? undefined : (navigator as { globalPrivacyControl?: unknown });
    const value = nav?.globalPrivacyControl;
    signalAtLoad = typeof value === 'boolean' ? value : null;
  }
  return signalAtLoad;
}

/** The purposes an opt-out preference signal switches off: sale, sharing, targeted advertising (R48–R50). */
export function gpcPurposeIds(policy: Policy): string[] {
  return policy.purposes.filter((p) => p.gpc !== undefined).map((p) => p.id);
}
