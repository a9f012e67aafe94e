import { ConsentError, type ConsentErrorOptions } from '@consentkit/core';

/**
 * The base of the server's own errors: a ConsentError over the server's code unions, whose
 * `message` comes from core's one formatter (`[consentkit] … See docs/errors.md#<code>`). `detail`
 * keeps the bare sentence for answers that frame it themselves: a problem document's `detail`, a
 * rejected record's `reason`, the CLI's `REFUSED: …` line.
 */
export class ServerError<C extends string> extends ConsentError<C> {
  override readonly name: string = 'ServerError';
  readonly detail: string;

  constructor(code: C, detail: string, options: ConsentErrorOptions = {}) {
    super(code, detail, options);
    this.detail = detail;
  }
}
