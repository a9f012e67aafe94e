import { ServerError } from '../platform/server-error.js';

/**
 * A witness refused a checkpoint (R72): not the log it keeps, not signed by the log's key, or not
 * an extension of the last checkpoint it cosigned (a truncation or a fork). `status` is the
 * C2SP tlog-witness answer: 404 unknown log, 403 bad signature, 400 bad request, 409 not the size
 * it last cosigned (or another root for that size), 422 a consistency proof that does not verify.
 */
export class WitnessError extends ServerError<'witness-refused'> {
  override readonly name = 'WitnessError';
  readonly status: 400 | 403 | 404 | 409 | 422;
  /** The size this witness last cosigned (what a 409 answers with). */
  readonly latestSize: number | undefined;

  constructor(status: WitnessError['status'], detail: string, latestSize?: number) {
    super('witness-refused', detail, {
      hint: 'A witness refuses what does not extend the last checkpoint it cosigned: see docs/transparency.md#witnesses.',
    });
    this.status = status;
    this.latestSize = latestSize;
  }
}
