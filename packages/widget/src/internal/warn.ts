import { formatErrorMessage } from '@consentkit/core';
import { DEV } from './dev.js';

/** Codes of every warning the widget can print, so the docs can link each one. */
export type WarningCode =
  | 'checked-refused'
  | 'required-ignored'
  | 'no-client'
  | 'policy-load-failed'
  | 'capture-failed'
  | 'programmatic-not-recorded';

// Once per code and source object: a page with twenty boxes should not print twenty lines,
// but every misconfigured element is reported once.
const printed = new WeakMap<object, Set<WarningCode>>();
const pageKey = {};

/**
 * Warns once per code and source, through core's formatter (one prefix, and the code's entry in
 * docs/errors.md). Production builds print the code and that pointer only (the behaviour itself,
 * e.g. refusing a pre-ticked express box, never depends on DEV); development builds add the
 * explanation.
 */
export function warn(code: WarningCode, detail: string, source: object = pageKey): void {
  const codes = printed.get(source) ?? new Set<WarningCode>();
  if (codes.has(code)) return;
  codes.add(code);
  printed.set(source, codes);
  console.warn(formatErrorMessage(code, DEV ? `${code}: ${detail}` : code));
}
