/**
 * Apart from errors.ts so the drop-in's entry, which only reports configuration errors, does not
 * carry it: only the policy's GET and the record path raise it.
 */
import { ConsentError, type ConsentErrorCode, type ConsentErrorOptions } from './errors.js';

/** The codes a {@link TransportError} carries: the ledger unreachable or failing, or this page's origin refused. */
export type TransportErrorCode = Extract<ConsentErrorCode, 'transport' | 'origin-not-allowed'>;

/**
 * A transport failure (HTTP or storage), worth retrying; `status` is the HTTP status when there
 * was one. `origin-not-allowed`: the ledger answered, but its CORS list does not name the page's origin.
 */
export class TransportError extends ConsentError {
  override readonly name = 'TransportError';
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(
    message: string,
    options: ConsentErrorOptions & { status?: number; retryAfterMs?: number; code?: TransportErrorCode } = {},
  ) {
    super(options.code ?? 'transport', message, options);
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}
