/**
 * Property-based fuzzing of the policy loader (bad input gets a clear error): `parsePolicy` is what the
 * server runs on CONSENTKIT_POLICY at start and what the CLI runs on a file. On any input it
 * either returns a Policy or throws ConsentValidationError with zod-shaped issues — never a
 * TypeError from walking a malformed document, never a silently coerced value.
 */

import { parsePolicy } from '@consentkit/core/schema';
import { fuzzRuns } from '@consentkit/test-support/fuzz';
import { allstreamPolicy } from '@consentkit/test-support/policy';
import { expect } from 'chai';
import fc from 'fast-check';
import { canonicalize, type JsonValue } from './canonical-json.js';
import { ConsentValidationError } from './errors.js';
import type { Policy } from './policy.js';

const RUNS = fuzzRuns();

type Outcome = { ok: true; policy: Policy } | { ok: false; error: unknown };

function load(value: unknown): Outcome {
  try {
    return { ok: true, policy: parsePolicy(value) };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * A rejection must be the validation error with at least one issue naming where it is. An
 * accepted policy must load again; one that came from JSON must also have a canonical form (its
 * digest is what records name). Non-JSON input is exempt from that last check: zod passes an
 * optional member that is present-but-undefined through, and JSON cannot express one.
 */
function expectValidOrValidationError(result: Outcome, label: string, fromJson: boolean): void {
  if (result.ok) {
    expect(() => parsePolicy(result.policy), label).to.not.throw();
    if (fromJson) expect(() => canonicalize(result.policy), label).to.not.throw();
    return;
  }
  expect(result.error, label).to.be.instanceOf(ConsentValidationError);
  const error = result.error as ConsentValidationError;
  expect(error.code, label).to.equal('invalid-policy');
  expect(error.issues.length, label).to.be.greaterThan(0);
  for (const issue of error.issues) {
    expect(issue.message, label).to.be.a('string');
    expect(issue.path, label).to.be.an('array');
  }
}

type Path = readonly (string | number)[];

/** Every path into the document: each object member and array item, at any depth. */
function pathsOf(value: JsonValue, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) out.push(...pathsOf(v, [...prefix, i]));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]));
  }
  return out;
}

type Container = Record<string, unknown> | unknown[];

/** Resolves the container holding `path`'s last step (undefined for the root). */
function parentOf(doc: unknown, path: Path): { parent: Container; key: string | number } | undefined {
  if (path.length === 0) return undefined;
  let node: unknown = doc;
  for (const step of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[step];
  return { parent: node as Container, key: path[path.length - 1] as string | number };
}

const HOSTILE = fc.constantFrom(
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'; DROP TABLE ledger_entries; --",
  '\u0000',
  '__proto__',
  'constructor',
  '',
  ' '.repeat(10_000),
);
const replacementArb = fc.oneof(fc.jsonValue({ maxDepth: 3 }), HOSTILE);

const editArb = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('replace', 'delete', 'add-member', 'duplicate-item', 'wrap'),
  value: replacementArb,
  name: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'en', 'fr', 'x-extra')),
});
type Edit = typeof editArb extends fc.Arbitrary<infer E> ? E : never;

function applyEdit(doc: JsonValue, edit: Edit): unknown {
  const paths = pathsOf(doc);
  const path = paths[edit.at % paths.length] as Path;
  const where = parentOf(doc, path);
  if (!where) return edit.op === 'wrap' ? [doc] : edit.value;
  const { parent, key } = where;
  const current = (parent as Record<string | number, unknown>)[key];
  switch (edit.op) {
    case 'replace':
      (parent as Record<string | number, unknown>)[key] = edit.value;
      break;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
      break;
    case 'add-member':
      if (current !== null && typeof current === 'object' && !Array.isArray(current)) {
        // defineProperty so "__proto__" becomes an own member, as JSON.parse would make it.
        Object.defineProperty(current, edit.name, {
          value: edit.value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      break;
    case 'duplicate-item':
      if (Array.isArray(current) && current.length > 0) current.push(structuredClone(current[0]));
      break;
    case 'wrap':
      (parent as Record<string | number, unknown>)[key] = [current];
      break;
  }
  return doc;
}

describe('fuzz: policy loader', () => {
  it('accepts the example policy unchanged (the mutations below start from a valid document)', () => {
    expect(parsePolicy(structuredClone(allstreamPolicy)).id).to.equal('allstream');
  });

  it('answers arbitrary JSON with a Policy or a ConsentValidationError', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) =>
        expectValidOrValidationError(load(value), JSON.stringify(value), true),
      ),
      { numRuns: RUNS },
    );
  });

  it('answers arbitrary JavaScript values (undefined, functions, symbols, odd prototypes) the same way', () => {
    fc.assert(
      fc.property(
        fc.anything({ withBoxedValues: true, withMap: true, withSet: true, withNullPrototype: true }),
        (value) => expectValidOrValidationError(load(value), typeof value, false),
      ),
      { numRuns: RUNS },
    );
  });

  it('answers mutations of the example policy (replaced, deleted, added, duplicated, wrapped members) the same way', () => {
    fc.assert(
      fc.property(fc.array(editArb, { minLength: 1, maxLength: 4 }), (edits) => {
        const doc = structuredClone(allstreamPolicy) as unknown as JsonValue;
        let mutated: unknown = doc;
        for (const edit of edits) {
          // An edit that replaced the root with a primitive leaves nothing to walk into.
          if (mutated === null || typeof mutated !== 'object') break;
          mutated = applyEdit(mutated as JsonValue, edit);
        }
        expectValidOrValidationError(load(mutated), JSON.stringify(edits), true);
      }),
      { numRuns: RUNS },
    );
  });

  it('keeps hostile text in titles and descriptions as data, verbatim (the pages escape it, the loader must not mangle it)', () => {
    fc.assert(
      fc.property(
        HOSTILE.filter((s) => s.trim() !== ''),
        (text) => {
          const doc = structuredClone(allstreamPolicy);
          const purpose = doc.purposes[0];
          if (!purpose) throw new Error('the example policy has no purpose');
          purpose.title = { ...purpose.title, en: text };
          const result = load(doc);
          if (!result.ok) throw result.error;
          expect(result.policy.purposes[0]?.title.en).to.equal(text);
        },
      ),
      { numRuns: Math.min(RUNS, 100) },
    );
  });
});
