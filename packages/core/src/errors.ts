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
  | 'transport'
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

export const DOCS_URL = 'https://consentkit.dev/errors';

/** Formats `[consent] <what failed>: <why>. <hint> See <docs>#<code>` in one place. */
export function formatErrorMessage(code: ConsentErrorCode, message: string, hint?: string): string {
  const text = message.startsWith('[consent]') ? message.slice('[consent]'.length).trim() : message;
  const sentence = /[.!?]$/.test(text) ? text : `${text}.`;
  return `[consent] ${sentence}${hint ? ` ${hint}` : ''} See ${DOCS_URL}#${code}`;
}

export class ConsentError extends Error {
  override readonly name: string = 'ConsentError';
  readonly code: ConsentErrorCode;
  readonly issues: readonly ConsentIssue[];

  constructor(code: ConsentErrorCode, message: string, options: ConsentErrorOptions = {}) {
    super(
      formatErrorMessage(code, message, options.hint),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = code;
    this.issues = options.issues ?? [];
  }
}

/** A value that failed schema validation; carries zod-shaped issues, not flattened text. */
export class ConsentValidationError extends ConsentError {
  override readonly name = 'ConsentValidationError';
}

/** A transport failure (HTTP or storage); `status` is the HTTP status when there was one. */
export class TransportError extends ConsentError {
  override readonly name = 'TransportError';
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: ConsentErrorOptions & { status?: number; retryAfterMs?: number } = {}) {
    super('transport', message, options);
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export function isConsentError(value: unknown): value is ConsentError {
  return value instanceof ConsentError;
}

/** `safeX()` results: discriminated, with `never` on the wrong branch (zod's `safeParse`). */
export type Result<T, E = ConsentError> =
  | { ok: true; value: T; error?: never }
  | { ok: false; value?: never; error: E };
