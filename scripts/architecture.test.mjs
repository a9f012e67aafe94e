// ARCHITECTURE.md is the newcomer's map: it must name every package, every example and every
// server feature folder that exists, so a new folder cannot land without a line on the map.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';

const root = resolve(import.meta.dirname, '..');
const map = readFileSync(join(root, 'ARCHITECTURE.md'), 'utf8');
const folders = (dir) =>
  readdirSync(join(root, dir), { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== 'node_modules' && !e.name.startsWith('.'))
    .map((e) => e.name);

/** The folders under `dir` that ARCHITECTURE.md does not mention as `prefix + name`. */
export function unmapped(text, names, prefix) {
  return names.filter((name) => !text.includes(`${prefix}${name}`));
}

describe('ARCHITECTURE.md', () => {
  it('names every package', () => {
    assert.deepEqual(unmapped(map, folders('packages'), 'packages/'), []);
  });
  it('names every server feature folder', () => {
    const named = folders('packages/server/src').map((name) => `${name}/`);
    assert.deepEqual(unmapped(map, named, '`'), []);
  });
  it('links only to files that exist', () => {
    const links = [...map.matchAll(/\]\(([^)#]+)\)/g)].map((m) => m[1]);
    assert.ok(links.length > 0);
    assert.deepEqual(
      links.filter((link) => !existsSync(join(root, link))),
      [],
    );
  });
  it('refuses a map that forgets a folder (self-test)', () => {
    assert.deepEqual(unmapped('`ingest/` and packages/core', ['core', 'sdk'], 'packages/'), ['sdk']);
  });
});
