// No import cycles in any package's production code, type imports included: a cycle closed by
// `import type` still ties two modules into one concept that cannot be read, tested or moved
// apart. Every relative import and every `@consentkit/<package>[/<subpath>]` import (resolved
// through the package's `@consentkit/source` export, so cycles between packages count too) is an
// edge; a failure names each cycle, module by module.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '..');

/** Production sources: packages/<name>/src/**, without tests and test support. */
function productionFiles(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'test') productionFiles(full, out);
    } else if (
      /\.(ts|tsx|mts)$/.test(entry.name) &&
      !/\.test\.tsx?$/.test(entry.name) &&
      !entry.name.endsWith('.d.ts')
    ) {
      out.push(full);
    }
  }
  return out;
}

/** `@consentkit/x/sub` → the file its package's exports name under `@consentkit/source`. */
function packageEntries() {
  const entries = new Map();
  for (const name of readdirSync(join(root, 'packages'))) {
    const manifestFile = join(root, 'packages', name, 'package.json');
    if (!existsSync(manifestFile)) continue;
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      const source = typeof target === 'object' && target !== null ? target['@consentkit/source'] : undefined;
      if (typeof source !== 'string') continue;
      const specifier = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.replace(/^\.\//, '')}`;
      entries.set(specifier, resolve(root, 'packages', name, source));
    }
  }
  return entries;
}

function resolveRelative(from, specifier) {
  const base = resolve(dirname(from), specifier);
  const candidates = [
    base,
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.js$/, '.tsx'),
    base.replace(/\.mjs$/, '.mts'),
  ];
  candidates.push(join(base, 'index.ts'));
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

/** Every module's imports (static, type-only, re-exports and dynamic), as resolved files. */
export function importGraph(files, entries) {
  const known = new Set(files);
  const graph = new Map();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const edges = new Set();
    for (const { fileName } of importedFiles) {
      const target = fileName.startsWith('.') ? resolveRelative(file, fileName) : entries.get(fileName);
      if (target && known.has(target) && target !== file) edges.add(target);
    }
    graph.set(file, [...edges].sort());
  }
  return graph;
}

/** Each cycle once, as the modules around it (Tarjan's strongly connected components). */
export function findCycles(graph) {
  let index = 0;
  const indexOf = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const components = [];
  const visit = (node) => {
    indexOf.set(node, index);
    low.set(node, index);
    index++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indexOf.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node), indexOf.get(next)));
      }
    }
    if (low.get(node) === indexOf.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component);
    }
  };
  for (const node of [...graph.keys()].sort()) if (!indexOf.has(node)) visit(node);
  // One concrete loop per component, for the message: the shortest way from its first module back.
  return components.map((component) => {
    const members = new Set(component);
    const start = [...component].sort()[0];
    const previous = new Map([[start, undefined]]);
    const queue = [start];
    while (queue.length > 0) {
      const here = queue.shift();
      for (const next of graph.get(here) ?? []) {
        if (!members.has(next)) continue;
        if (next === start) {
          const path = [start];
          for (let at = here; at !== start; at = previous.get(at)) path.splice(1, 0, at);
          return [...path, start];
        }
        if (!previous.has(next)) {
          previous.set(next, here);
          queue.push(next);
        }
      }
    }
    return [...component, start];
  });
}

test('finds a cycle in a made-up graph, and none in a tree (the check can fail)', () => {
  const cycles = findCycles(
    new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []],
    ]),
  );
  assert.deepEqual(cycles, [['a', 'b', 'c', 'a']]);
  assert.deepEqual(
    findCycles(
      new Map([
        ['a', ['b', 'c']],
        ['b', ['c']],
        ['c', []],
      ]),
    ),
    [],
  );
});

test('no package has an import cycle in its production code, type imports included', () => {
  const files = readdirSync(join(root, 'packages'))
    .map((name) => join(root, 'packages', name, 'src'))
    .filter((dir) => existsSync(dir))
    .flatMap((dir) => productionFiles(dir));
  assert.ok(files.length > 100, `only ${files.length} production files found`);
  const graph = importGraph(files, packageEntries());
  const edges = [...graph.values()].reduce((n, e) => n + e.length, 0);
  assert.ok(edges > files.length, `only ${edges} imports found: is the parser reading the files?`);
  const cycles = findCycles(graph).map((cycle) => cycle.map((f) => relative(root, f)).join(' → '));
  assert.deepEqual(cycles, [], `import cycles:\n  ${cycles.join('\n  ')}`);
});
