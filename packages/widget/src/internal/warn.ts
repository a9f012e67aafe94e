import { formatErrorMessage, formatReason, isConsentError } from '@consentkit/core';
import { ConsentErrorEvent } from '../events/consent-error-event.js';

/** Codes of the warnings and failures the widget itself names, so the docs can link each one. */
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
 * docs/errors.md). Callers gate long explanations behind DEV; an empty `detail` prints the code
 * and that pointer only. Misuse the element corrects itself (a pre-ticked express box) is a
 * warning; something that did not happen is a {@link fail}ure.
 */
export function warn(code: WarningCode, detail: string, source: object = pageKey): void {
  const codes = printed.get(source) ?? new Set<WarningCode>();
  if (codes.has(code)) return;
  codes.add(code);
  printed.set(source, codes);
  console.warn(formatErrorMessage(code, detail ? `${code}: ${detail}` : code));
}

export type FailOptions = {
  /** The form or element concerned; `document` when the failure is the page's. */
  target?: EventTarget;
  recordId?: string;
  /** The record is kept and sent again: nothing is lost yet. */
  retrying?: boolean;
};

/** Each distinct line is printed once: twenty records failing for one reason make one line. */
const printedLines = new Set<string>();
/** Page-level failures (no record, no element) are fired once each: two loads of one URL fail once. */
const pageFailures = new Set<string>();

/**
 * A failure: something was not recorded, delivered or loaded. Printed with its code and one-line
 * reason (production builds too: the reason is what makes it actionable), and fired as
 * `consent-error` on the form or element concerned, else on `document`.
 */
export function fail(code: string, reason: string, options: FailOptions = {}): void {
  const target = options.target ?? document;
  const sentence = formatReason(reason);
  const line = formatErrorMessage(code, sentence);
  if (target === document && options.recordId === undefined) {
    if (pageFailures.has(line)) return;
    pageFailures.add(line);
  }
  if (!printedLines.has(line)) {
    printedLines.add(line);
    console.warn(line);
  }
  target.dispatchEvent(
    new ConsentErrorEvent({
      code,
      reason: sentence,
      retrying: options.retrying ?? false,
      ...(options.recordId === undefined ? {} : { recordId: options.recordId }),
    }),
  );
}

/**
 * `what` did not happen because of `error`: reported under the error's own code and reason when
 * it is a ConsentError (the cause is what the developer must fix), else under `fallback`.
 */
export function failWith(
  error: unknown,
  fallback: WarningCode,
  what: string | undefined,
  options: FailOptions = {},
): void {
  const consentError = isConsentError<string>(error) ? error : undefined;
  const why = consentError?.reason ?? String(error);
  fail(consentError?.code ?? fallback, what ? `${what}: ${why}` : why, options);
}
