import { ServerError } from '../platform/server-error.js';

/** Why an import was refused; `line` is the 1-based line of the file at fault, when there is one. */
export class ImportRefusedError extends ServerError<'import-refused'> {
  override readonly name = 'ImportRefusedError';
  readonly line: number | undefined;
  constructor(reason: string, line?: number) {
    super('import-refused', reason, { hint: 'Nothing was imported; fix or replace the backup file.' });
    this.line = line;
  }
}

/** An error's message, for a refusal's reason. */
export const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));
