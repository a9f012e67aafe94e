import { ConsentError } from '@consentkit/core';

/**
 * What the operator can do about a failure: sign in again (unauthorized), use a key with more
 * scope (forbidden), nothing to show (not-found), the server lacks the feature (not-available),
 * fix the input (bad-request), or retry (network, server).
 */
export type AdminErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'not-available'
  | 'bad-request'
  | 'network'
  | 'server';

/**
 * The dashboard's one error class, a ConsentError over its own codes: `message` is the house
 * message (prefix, code, docs link) for logs and developers; `detail` is the plain sentence the
 * dashboard shows the operator.
 */
export class AdminError extends ConsentError<AdminErrorCode> {
  override readonly name = 'AdminError';
  /** What failed, in words for the operator (the server's problem detail when it sent one). */
  readonly detail: string;
  /** The HTTP status, when the server answered. */
  readonly status: number | null;

  constructor(code: AdminErrorCode, detail: string, options: { status?: number | null; cause?: unknown } = {}) {
    super(code, detail, options.cause === undefined ? {} : { cause: options.cause });
    this.detail = detail;
    this.status = options.status ?? null;
  }
}
