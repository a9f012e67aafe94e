import { ServerError } from '../platform/server-error.js';

/**
 * Why a partner operation was refused. The CLI prints the message as is and the API maps the
 * code to a 4xx, so every message says what was wrong and how to fix it.
 */
export type PartnerErrorCode =
  | 'not-a-recipient'
  | 'not-audited'
  | 'invalid-endpoint'
  | 'already-registered'
  | 'unknown-partner'
  | 'unknown-delivery'
  | 'not-retryable';

export class PartnerError extends ServerError<PartnerErrorCode> {
  override readonly name = 'PartnerError';
}
