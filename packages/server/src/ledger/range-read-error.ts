import { ServerError } from '../platform/server-error.js';

/**
 * A range worker of `consentkit verify` could not read its range as planned: a binary COPY stream
 * it cannot parse, or bounds that are not integers. The walk then reads those entries itself
 * (verify-ledger.ts), so the report stays as precise as the one-thread walk's.
 */
export class RangeReadError extends ServerError<'range-read-failed'> {
  override readonly name = 'RangeReadError';

  constructor(detail: string) {
    super('range-read-failed', detail, {
      hint: 'consentkit verify reads those entries itself; if it keeps happening, see docs/errors.md#range-read-failed.',
    });
  }
}
