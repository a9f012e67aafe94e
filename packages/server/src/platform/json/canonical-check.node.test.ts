// The quick canonical check against core's canonicalize, on 12,000 generated JSON texts: canonical
// ones, ones in insertion order, integer-like keys (which V8 reorders), escapes (\u, \/, lone
// surrogates), numbers in other forms, whitespace and duplicate members.
import { canonicalize } from '@consentkit/core';
import { expect } from 'chai';
import { isCanonicalText } from './canonical-check.js';

let seed = 7;
const rand = (n: number) => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
};
const KEYS = [
  'a',
  'b',
  'Z',
  'id',
  'schema',
  '10',
  '9',
  '0',
  'é',
  '中',
  '😀',
  '\u2028',
  'a b',
  '"q"',
  '\\',
  '__proto__',
];
const STRINGS = [
  '',
  'x',
  'é',
  '中文',
  '😀',
  '\n',
  '\t',
  '"',
  '\\',
  '\u0001',
  '\u007f',
  '\u2028',
  '/',
  '<>&',
  'long '.repeat(20),
];
const NUMBERS = [0, 1, -1, 1.5, 1e21, 1e-7, 123456789, -0.25, 2 ** 53 - 1];

function value(depth: number): unknown {
  // The top level is an object (a record payload is), with at least one member.
  const kind = depth === 0 ? 5 : rand(depth > 3 ? 4 : 7);
  if (kind === 0) return STRINGS[rand(STRINGS.length)];
  if (kind === 1) return NUMBERS[rand(NUMBERS.length)];
  if (kind === 2) return [true, false, null][rand(3)];
  if (kind === 3) return `${STRINGS[rand(STRINGS.length)]}${rand(1000)}`;
  if (kind === 4) return Array.from({ length: rand(4) }, () => value(depth + 1));
  const object: Record<string, unknown> = {};
  for (let i = depth === 0 ? 1 + rand(6) : rand(6); i > 0; i--)
    object[KEYS[rand(KEYS.length)] as string] = value(depth + 1);
  return object;
}

/** A text a sender might have written for the same value: canonical, or off in one way. */
function text(v: unknown): string {
  const canonical = canonicalize(v);
  switch (rand(10)) {
    case 0:
    case 1:
    case 2:
      return canonical;
    case 3:
      return JSON.stringify(v);
    case 4:
      return rand(2) === 0 ? JSON.stringify(v, null, 1) : canonical.replace(':', ': ');
    case 5:
      // An escape core would not write, of a character that needs none.
      return canonical.replace('a', '\\u0061').replace('/', '\\/');
    case 6:
      // A lone surrogate, escaped (JSON.parse reads it; canonicalize refuses it).
      return canonical.replace(/"x/, '"\\ud800x');
    case 7:
      return canonical.replace(/:1([,}\]])/, ':1.0$1').replace(/:0([,}\]])/, ':-0$1');
    case 8:
      // A duplicate member (JSON.parse keeps the last).
      return canonical.startsWith('{"') && canonical.length > 2 ? `{"b":1,${canonical.slice(1)}` : canonical;
    default:
      return canonical.replace(/é/, '\\u00e9');
  }
}

describe('isCanonicalText, against core’s canonicalize', () => {
  it('answers as canonicalize(JSON.parse(text)) === text on 12,000 texts', () => {
    let canonical = 0;
    let not = 0;
    for (let i = 0; i < 12_000; i++) {
      const t = text(value(0));
      const parsed: unknown = JSON.parse(t);
      let want: boolean;
      try {
        want = canonicalize(parsed) === t;
      } catch {
        want = false;
      }
      expect(isCanonicalText(t, parsed), t).to.equal(want);
      if (want) canonical++;
      else not++;
    }
    expect(canonical).to.be.greaterThan(3000);
    expect(not).to.be.greaterThan(3000);
  });

  it('leaves integer-like keys and escapes to canonicalize (where JSON.stringify would differ)', () => {
    const cases: Array<[string, boolean]> = [
      ['{"10":1,"9":2}', true],
      ['{"9":2,"10":1}', false],
      ['{"a":"\\u0061"}', false],
      ['{"a":"\\u001f"}', true],
      ['"\\ud800"', false],
      ['{"b":1,"a":2}', false],
      ['{"a":1,"a":1}', false],
      ['[1,2.5,-0]', false],
      ['{"a":[{"b":1,"c":{"d":null}}]}', true],
    ];
    for (const [t, want] of cases) expect(isCanonicalText(t, JSON.parse(t)), t).to.equal(want);
  });
});
