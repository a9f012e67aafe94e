/**
 * The dashboard's one error class. `code` says what the operator can do about it: sign in
 * again (unauthorized), use a key with more scope (forbidden), nothing to show (not-found),
 * the server lacks the feature (not-available), fix the input (bad-request), or retry.
 */
export type AdminErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'not-available'
  | 'bad-request'
  | 'network'
  | 'server';

export class AdminError extends Error {
  override readonly name = 'AdminError';
  readonly code: AdminErrorCode;
  readonly status: number | null;
  constructor(code: AdminErrorCode, message: string, options: { status?: number | null; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status ?? null;
  }
}

export const isAdminError = (value: unknown): value is AdminError => value instanceof AdminError;
