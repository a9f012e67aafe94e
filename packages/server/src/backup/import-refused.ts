/** Why an import was refused; `line` is the 1-based line of the file at fault, when there is one. */
export class ImportRefusedError extends Error {
  override readonly name = 'ImportRefusedError';
  readonly code = 'import-refused';
  readonly line: number | undefined;
  constructor(reason: string, line?: number) {
    super(reason);
    this.line = line;
  }
}

/** An error's message, for a refusal's reason. */
export const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));
