// Every line the server writes about itself goes through the one logger (JSON in production, with
// the request id and the redaction), never a bare console call. The only exception is the binary's
// entry, which prints the CLI's own output to the terminal.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { expect } from 'chai';

const SRC = resolve(import.meta.dirname, '../../src');
const ALLOWED = new Set(['cli/consentkit.ts']);

function productionFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return productionFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('server logging', () => {
  it('no production file but the binary calls console.*', () => {
    const files = productionFiles(SRC);
    expect(files.length).to.be.greaterThan(100);
    const offenders = files
      .map((path) => relative(SRC, path))
      .filter((path) => !ALLOWED.has(path))
      .filter((path) =>
        /\bconsole\s*\.\s*(log|info|warn|error|debug|trace)\s*\(/.test(readFileSync(join(SRC, path), 'utf8')),
      );
    expect(offenders).to.deep.equal([]);
  });
});
