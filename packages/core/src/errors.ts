/**
 * One error base for every ConsentKit package. A `code` from a closed union says what failed;
 * the message says what failed, why, and how to fix it, through one formatter.
 */

/** Every failure ConsentKit can report. Add new codes here, never ad-hoc strings. */
export type ConsentErrorCode =
  | 'invalid-json'
  | 'invalid-policy'
  | 'invalid-record'
  | 'invalid-options'
  | 'invalid-signature'
  | 'unsupported-algorithm'
  | 'invalid-key'
  | 'invalid-duration'
  | 'invalid-token'
  | 'token-expired'
  | 'chain-broken'
  | 'commitment-mismatch'
  | 'policy-mismatch'
  | 'rule-violation'
  | 'unknown-purpose'
  | 'transport'
  | 'origin-not-allowed'
  | 'storage'
  | 'not-found'
  | 'conflict'
  | 'unauthorized'
  | 'forbidden'
  | 'rate-limited'
  | 'payload-too-large'
  | 'internal';

/** A machine-readable issue, shaped like zod's, so validation errors keep their structure. */
export type ConsentIssue = {
  readonly code: string;
  readonly path: readonly (string | number)[];
  readonly message: string;
};

export type ConsentErrorOptions = {
  /** The underlying error, kept as ES2022 `cause`. */
  cause?: unknown;
  /** Structured issues (schema validation). */
  issues?: readonly ConsentIssue[];
  /** A hint appended to the message: how to fix it. */
  hint?: string;
};

/**
 * Where every code is explained, with its cause and its fix. A path in the repository and in every
 * package (each ships docs/errors.md), never a web address that might not exist.
 */
export const DOCS_URL = 'ConsentKit docs/errors.md';

/** The one prefix of every message the product prints. */
export const MESSAGE_PREFIX = '[consentkit]';

/**
 * The one-line reason: `<what failed>: <why>. <hint>`, a full sentence without the prefix or the
 * docs pointer, for answers that frame it themselves (events, problem documents, a form's error).
 */
export function formatReason(message: string, hint?: string): string {
  const text = message.startsWith(MESSAGE_PREFIX) ? message.slice(MESSAGE_PREFIX.length).trim() : message;
  const sentence = /[.!?]$/.test(text) ? text : `${text}.`;
  return hint ? `${sentence} ${hint}` : sentence;
}

/** Formats `[consentkit] <what failed>: <why>. <hint> See ConsentKit docs/errors.md#<code>` in one place. */
export function formatErrorMessage(code: string, message: string, hint?: string): string {
  return `${MESSAGE_PREFIX} ${formatReason(message, hint)} See ${DOCS_URL}#${code}`;
}

/**
 * The base of every error the product raises. `C` is the package's own code union: core's
 * `ConsentErrorCode` by default; a package that needs more (the server's HTTP problems, say)
 * subclasses with `ConsentError<ItsCode>`.
 */
export class ConsentError<C extends string = ConsentErrorCode> extends Error {
  override readonly name: string = 'ConsentError';
  readonly code: C;
  readonly issues: readonly ConsentIssue[];
  /** The message without the prefix and the docs pointer (see {@link formatReason}): one line to show or emit. */
  readonly reason: string;

  constructor(code: C, message: string, options: ConsentErrorOptions = {}) {
    super(
      formatErrorMessage(code, message, options.hint),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = code;
    this.issues = options.issues ?? [];
    this.reason = formatReason(message, options.hint);
  }
}

/** A value that failed schema validation; carries zod-shaped issues, not flattened text. */
export class ConsentValidationError extends ConsentError {
  override readonly name = 'ConsentValidationError';
}

/** Narrows to a ConsentError; `C` names the code union the caller expects (core's by default). */
export function isConsentError<C extends string = ConsentErrorCode>(value: unknown): value is ConsentError<C> {
  return value instanceof ConsentError;
}

/** `safeX()` results: discriminated, with `never` on the wrong branch (zod's `safeParse`). */
export type Result<T, E = ConsentError> =
  | { ok: true; value: T; error?: never }
  | { ok: false; value?: never; error: E };
