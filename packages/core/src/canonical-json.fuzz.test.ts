/**
 * Property-based fuzzing of the I-JSON parser and the RFC 8785 canonicaliser (R71, G6): bad input
 * gets a clear error, never a crash. Every record digest and every ledger entry hash is taken over `canonicalize` output,
 * and every record payload goes through `parseJson`, so: the parser must answer any text with a
 * value or a ConsentError `invalid-json` (never a RangeError from deep nesting, never a lone
 * surrogate let through), and the canonical form must agree with an independent RFC 8785
 * implementation (the `canonicalize` package) and be a fixed point.
 */

import { fuzzRuns } from '@consentkit/test-support/fuzz';
import referenceCanonicalize from 'canonicalize';
import { expect } from 'chai';
import fc from 'fast-check';
import { canonicalize, type JsonValue, parseJson } from './canonical-json.js';
import { ConsentError } from './errors.js';

const RUNS = fuzzRuns();
/** parseJson's nesting limit (canonical-json.ts MAX_DEPTH): deeper input is refused, not recursed into. */
const MAX_DEPTH = 512;
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

type Outcome = { ok: true; value: JsonValue } | { ok: false; error: unknown };

function parse(text: unknown): Outcome {
  try {
    return { ok: true, value: parseJson(text as string) };
  } catch (error) {
    return { ok: false, error };
  }
}

function expectInvalidJson(result: Outcome, label: string): void {
  if (result.ok) expect.fail(`${label}: accepted ${JSON.stringify(result.value)}`);
  expect(result.error, label).to.be.instanceOf(ConsentError);
  expect((result.error as ConsentError).code, label).to.equal('invalid-json');
}

const surrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
/** Strings that may hold a lone surrogate somewhere among ordinary characters. */
const withSurrogate = fc
  .tuple(fc.string({ maxLength: 10 }), surrogate, fc.string({ maxLength: 10 }))
  .map(([a, s, b]) => a + s + b)
  .filter((s) => LONE_SURROGATE.test(s));
/** Mostly JSON-looking text: the characters that steer a JSON parser, in any order. */
const jsonish = fc.string({
  maxLength: 200,
  unit: fc.constantFrom(...'{}[]":,\\/ \t\n-+.eE0123456789truefalsn\u0000\u001f\u2028', '\\u', '\\ud800', '\\udc00'),
});

describe('fuzz: parseJson and canonicalize', () => {
  it('answers any text with a value or invalid-json, never another exception', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300, unit: 'binary' }), jsonish), (text) => {
        const result = parse(text);
        if (!result.ok) return expectInvalidJson(result, JSON.stringify(text));
        // Whatever it accepts, JSON.parse accepts too, with the same meaning.
        expect(canonicalize(result.value)).to.equal(canonicalize(JSON.parse(text) as JsonValue));
      }),
      { numRuns: RUNS },
    );
  });

  it('round-trips every JSON value, and its canonical form matches the reference RFC 8785 implementation', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), (value) => {
        const canonical = canonicalize(value);
        expect(canonical).to.equal(referenceCanonicalize(value));
        // A fixed point: parsing the canonical form and canonicalising again changes nothing.
        const reparsed = parse(canonical);
        if (!reparsed.ok) throw reparsed.error;
        expect(canonicalize(reparsed.value)).to.equal(canonical);
        const pretty = parse(JSON.stringify(value, null, 2));
        if (!pretty.ok) throw pretty.error;
        expect(canonicalize(pretty.value)).to.equal(canonical);
      }),
      { numRuns: RUNS },
    );
  });

  it('rejects lone surrogates, raw or escaped, in values and member names (parse and canonicalize)', () => {
    fc.assert(
      fc.property(withSurrogate, fc.boolean(), (text, asName) => {
        // JSON.stringify escapes a lone surrogate as \udXXX: the escaped form. The raw form keeps
        // the surrogate as is (quotes and backslashes dropped so the text stays one string).
        const escaped = asName ? `{${JSON.stringify(text)}:1}` : `[${JSON.stringify(text)}]`;
        const clean = text.replace(/["\\]/g, '');
        const raw = asName ? `{"${clean}":1}` : `["${clean}"]`;
        expectInvalidJson(parse(escaped), escaped);
        expectInvalidJson(parse(raw), raw);
        expect(() => canonicalize(asName ? { [text]: 1 } : [text])).to.throw(ConsentError, /lone surrogate/);
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses nesting past its limit with invalid-json, and accepts and canonicalises anything up to it', () => {
    fc.assert(
      fc.property(
        // Half around the limit, half far past it (where a recursive parser would overflow the stack).
        fc.oneof(fc.integer({ min: 1, max: 2 * MAX_DEPTH }), fc.integer({ min: 1, max: 20_000 })),
        fc.constantFrom('[', '{"a":'),
        fc.constantFrom('1', '[]', '{}', '"x"'),
        (depth, open, leaf) => {
          const close = open === '[' ? ']' : '}';
          const text = open.repeat(depth) + leaf + close.repeat(depth);
          const result = parse(text);
          if (depth > MAX_DEPTH) return expectInvalidJson(result, `depth ${depth}`);
          if (!result.ok) throw result.error;
          expect(canonicalize(result.value)).to.equal(text);
        },
      ),
      { numRuns: Math.min(RUNS, 500) },
    );
  });

  it('rejects duplicate member names (I-JSON), which JSON.parse would silently resolve', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 8 }),
        fc.jsonValue({ maxDepth: 1 }),
        fc.jsonValue({ maxDepth: 1 }),
        (name, a, b) => {
          const key = JSON.stringify(name);
          expectInvalidJson(parse(`{${key}:${JSON.stringify(a)},${key}:${JSON.stringify(b)}}`), key);
          expectInvalidJson(parse(`[{"n":{${key}:1,"z":0,${key}:2}}]`), key);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('rejects non-strings and non-JSON values with invalid-json', () => {
    fc.assert(
      fc.property(
        fc.anything().filter((v) => typeof v !== 'string'),
        fc.constantFrom(
          Number.NaN,
          Number.POSITIVE_INFINITY,
          undefined,
          () => 1,
          Symbol('s'),
          10n,
          new Date(0),
          new Map(),
        ),
        (value, bad) => {
          expectInvalidJson(parse(value), typeof value);
          expect(() => canonicalize({ ok: 1, bad }), String(bad)).to.throw(ConsentError, /JSON/);
          expect(() => canonicalize([bad]), String(bad)).to.throw(ConsentError);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
