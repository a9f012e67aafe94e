import { ServerError } from '../platform/server-error.js';

/**
 * Why the sender's guard refused: a recipient who may not be mailed for the purpose, or a ledger
 * it could not ask (the guard fails closed: no answer means no mail).
 */
export type GuardErrorCode = 'recipient-opted-out' | 'guard-unavailable';

export class GuardError extends ServerError<GuardErrorCode> {
  override readonly name = 'GuardError';
}
