// Every code the client packages (core, sdk, widget, admin) and the server raise or print has its
// entry in docs/errors.md, where every message points (`See ConsentKit docs/errors.md#<code>`).
// Codes are read from the sources: the code unions, and the literal codes given to core's formatter
// or to the server's error classes.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { expect } from 'chai';

const root = resolve(import.meta.dirname, '..');
const read = (path) => readFileSync(join(root, path), 'utf8');

/** The string literals of `export type <name> = | 'a' | 'b'…` in `path`. */
function unionCodes(path, name) {
  const match = new RegExp(`export type ${name} =([^;]+);`).exec(read(path));
  if (!match) throw new Error(`${path} declares no ${name}`);
  return [...match[1].matchAll(/'([a-z-]+)'/g)].map((m) => m[1]);
}

function productionFiles(dir, out = []) {
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) productionFiles(path, out);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

/** Codes passed as a literal to formatErrorMessage (warnings that are not errors). */
function formattedCodes() {
  return ['core', 'sdk', 'widget', 'admin']
    .flatMap((pkg) => productionFiles(`packages/${pkg}/src`))
    .flatMap((path) => [...read(path).matchAll(/formatErrorMessage\(\s*'([a-z-]+)'/g)].map((m) => m[1]));
}

/** `### code` headings of a section of docs/errors.md (the client section by default). */
function documentedCodes(heading = 'Client (core, sdk, widget, admin)') {
  const doc = read('docs/errors.md');
  const start = doc.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`docs/errors.md has no "## ${heading}" section`);
  const next = doc.indexOf('\n## ', start + 1);
  const section = doc.slice(start, next < 0 ? undefined : next);
  return [...section.matchAll(/^### ([a-z-]+)$/gm)].map((m) => m[1]);
}

describe('docs/errors.md, client section', () => {
  it('has an entry, with a cause and a fix, for every code core, sdk, widget and admin raise or print', () => {
    const codes = new Set([
      ...unionCodes('packages/core/src/errors.ts', 'ConsentErrorCode'),
      ...unionCodes('packages/widget/src/internal/warn.ts', 'WarningCode'),
      ...unionCodes('packages/admin/src/client/admin-error.ts', 'AdminErrorCode'),
      ...formattedCodes(),
    ]);
    expect(codes.size).to.be.greaterThan(30);
    const documented = documentedCodes();
    expect([...codes].filter((code) => !documented.includes(code))).to.deep.equal([]);
    const doc = read('docs/errors.md');
    for (const code of documented) {
      const entry = doc.slice(doc.indexOf(`### ${code}\n`)).split(/\n### /)[0];
      expect(entry, code).to.include('**Cause:**').and.to.include('**Fix:**');
    }
  });

  it('documents each code once, and no code nothing raises', () => {
    const documented = documentedCodes();
    expect(documented.length).to.equal(new Set(documented).size);
    const raised = new Set([
      ...unionCodes('packages/core/src/errors.ts', 'ConsentErrorCode'),
      ...unionCodes('packages/widget/src/internal/warn.ts', 'WarningCode'),
      ...unionCodes('packages/admin/src/client/admin-error.ts', 'AdminErrorCode'),
      ...formattedCodes(),
    ]);
    expect(documented.filter((code) => !raised.has(code))).to.deep.equal([]);
  });
});

/** The server's own codes: its unions, and the literal code of each ServerError subclass. */
function serverCodes() {
  const fixed = productionFiles('packages/server/src').flatMap((path) =>
    [...read(path).matchAll(/extends ServerError<'([a-z-]+)'>/g)].map((m) => m[1]),
  );
  return new Set([
    ...unionCodes('packages/server/src/platform/http/errors.ts', 'HttpErrorCode'),
    ...unionCodes('packages/server/src/ingest/ingest.ts', 'RejectionCode'),
    ...unionCodes('packages/server/src/partners/partner-error.ts', 'PartnerErrorCode'),
    ...unionCodes('packages/server/src/senders/senders-error.ts', 'SendersErrorCode'),
    ...unionCodes('packages/server/src/guard/guard-error.ts', 'GuardErrorCode'),
    ...fixed,
  ]);
}

describe('docs/errors.md, server section', () => {
  it('has an entry, with a cause and a fix, for every code the server adds to core’s, and only those', () => {
    const client = new Set(documentedCodes());
    const own = [...serverCodes()].filter((code) => !client.has(code));
    expect(own.length).to.be.greaterThan(10);
    const documented = documentedCodes('Server');
    expect([...own].sort()).to.deep.equal([...documented].sort());
    const doc = read('docs/errors.md');
    for (const code of documented) {
      const entry = doc.slice(doc.indexOf(`### ${code}\n`)).split(/\n### /)[0];
      expect(entry, code).to.include('**Cause:**').and.to.include('**Fix:**');
    }
  });
});
