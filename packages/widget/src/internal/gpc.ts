/**
 * Global Privacy Control as the widget shows it. The SDK owns reading the signal (once per
 * page, R46); the widget only needs the boolean.
 */
import { readGpcSignal } from '@consentkit/sdk';

/** True only when the browser sends GPC (`navigator.globalPrivacyControl === true`). */
export function readGpc(): boolean {
  return readGpcSignal() === true;
}
