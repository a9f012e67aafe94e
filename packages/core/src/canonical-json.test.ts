import canonicalizeReference from 'canonicalize';
import { expect } from 'chai';
import fc from 'fast-check';
import { canonicalize, parseJson } from './canonical-json.js';
import { hexEncode, utf8Encode } from './encoding.js';
import { ConsentError } from './errors.js';

function expectInvalidJson(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    expect(error).to.be.instanceOf(ConsentError);
    expect((error as ConsentError).code).to.equal('invalid-json');
    return;
  }
  expect.fail('expected an invalid-json ConsentError');
}

function doubleFromBits(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

describe('canonical JSON (RFC 8785)', () => {
  it('R71/G6: the RFC 8785 §3.2.2 vector is byte-exact', () => {
    const input = String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`;
    const output = canonicalize(parseJson(input));
    expect(output).to.equal(
      String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
    );
    // RFC 8785 §3.2.4: the UTF-8 bytes of the result.
    expect(hexEncode(utf8Encode(output))).to.equal(
      [
        '7b226c69746572616c73223a5b6e756c6c2c74727565',
        '2c66616c73655d2c226e756d62657273223a5b333333',
        '3333333333332e333333333333332c31652b33302c34',
        '2e352c302e3030322c31652d32375d2c22737472696e',
        '67223a22e282ac245c75303030665c6e4127425c225c',
        '5c5c5c5c222f227d',
      ].join(''),
    );
  });

  it('R71/G6: sorts member names by UTF-16 code units (RFC 8785 §3.2.3), recursively', () => {
    const input = String.raw`{
      "\u20ac": "Euro Sign",
      "\r": "Carriage Return",
      "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One",
      "\ud83d\ude00": "Emoji: Grinning Face",
      "\u0080": "Control",
      "\u00f6": "Latin Small Letter O With Diaeresis"
    }`;
    const output = canonicalize(parseJson(input));
    // Read the order from the text: Object.values would move the integer-like key "1" first.
    const textOrder = [...output.matchAll(/:"([^"]+)"/g)].map((m) => m[1]);
    expect(textOrder).to.deep.equal([
      'Carriage Return',
      'One',
      'Control',
      'Latin Small Letter O With Diaeresis',
      'Euro Sign',
      'Emoji: Grinning Face',
      'Hebrew Letter Dalet With Dagesh',
    ]);
    expect(output.startsWith('{"\\r":"Carriage Return","1":"One","\u0080":"Control"')).to.equal(true);
    expect(canonicalize({ b: { d: 1, c: [{ z: 0, y: 1 }] }, a: null })).to.equal(
      '{"a":null,"b":{"c":[{"y":1,"z":0}],"d":1}}',
    );
  });

  it('R71: numbers follow ECMAScript Number.prototype.toString (RFC 8785 Appendix B)', () => {
    const vectors: [string, string][] = [
      ['0000000000000000', '0'],
      ['8000000000000000', '0'],
      ['0000000000000001', '5e-324'],
      ['8000000000000001', '-5e-324'],
      ['7fefffffffffffff', '1.7976931348623157e+308'],
      ['ffefffffffffffff', '-1.7976931348623157e+308'],
      ['4340000000000000', '9007199254740992'],
      ['c340000000000000', '-9007199254740992'],
      ['4430000000000000', '295147905179352830000'],
      ['44b52d02c7e14af5', '9.999999999999997e+22'],
      ['44b52d02c7e14af6', '1e+23'],
      ['44b52d02c7e14af7', '1.0000000000000001e+23'],
      ['444b1ae4d6e2ef4e', '999999999999999700000'],
      ['444b1ae4d6e2ef50', '1e+21'],
      ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
      ['3eb0c6f7a0b5ed8d', '0.000001'],
      ['41b3de4355555553', '333333333.3333332'],
      ['41b3de4355555554', '333333333.33333325'],
      ['41b3de4355555557', '333333333.33333343'],
      ['becbf647612f3696', '-0.0000033333333333333333'],
      ['43143ff3c1cb0959', '1424953923781206.2'],
    ];
    for (const [bits, expected] of vectors) expect(canonicalize(doubleFromBits(bits)), bits).to.equal(expected);
  });

  it('G7: the same record with keys in another order gives identical bytes', () => {
    const a = { schema: 'consentkit/record@1', decisions: [{ purpose: 'marketing', granted: true }], gpc: null };
    const b = { gpc: null, decisions: [{ granted: true, purpose: 'marketing' }], schema: 'consentkit/record@1' };
    expect(canonicalize(a)).to.equal(canonicalize(b));
    expect(canonicalize(a)).to.equal(
      '{"decisions":[{"granted":true,"purpose":"marketing"}],"gpc":null,"schema":"consentkit/record@1"}',
    );
  });

  it('G6: rejects NaN, ±Infinity, undefined, lone surrogates, functions and non-plain objects', () => {
    const bad: unknown[] = [
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      undefined,
      '\ud800',
      'a\udc00b',
      '\ude00\ud83d',
      () => 1,
      Symbol('s'),
      10n,
      new Date(0),
      new Map(),
      new (class Point {
        x = 1;
      })(),
      [1, undefined],
      { a: undefined },
      { a: [Number.NaN] },
      { '\ud800': 1 },
      { nested: { f: () => 1 } },
    ];
    for (const value of bad) expectInvalidJson(() => canonicalize(value));
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expectInvalidJson(() => canonicalize(circular));
  });

  it('accepts a shared (non-circular) sub-object twice and null-prototype objects', () => {
    const shared = { x: 1 };
    expect(canonicalize([shared, shared])).to.equal('[{"x":1},{"x":1}]');
    const bare = Object.create(null) as Record<string, unknown>;
    bare.b = 2;
    bare.a = 1;
    expect(canonicalize(bare)).to.equal('{"a":1,"b":2}');
    expect(canonicalize(JSON.parse('{"__proto__":1}'))).to.equal('{"__proto__":1}');
  });

  it('R71: matches the canonicalize npm package byte for byte on thousands of random JSON values', () => {
    const json = fc.oneof(
      fc.jsonValue({ stringUnit: 'binary', maxDepth: 3 }),
      fc.jsonValue({ stringUnit: 'binary-ascii', maxDepth: 3 }),
      fc.dictionary(fc.string({ unit: 'binary' }), fc.double({ noNaN: true, noDefaultInfinity: true })),
    );
    fc.assert(
      // Plain comparisons (not chai) keep thousands of runs fast in every browser.
      fc.property(json, (value) => {
        const ours = canonicalize(value);
        return ours === canonicalizeReference(value) && canonicalize(parseJson(ours)) === ours;
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        (n) =>
          canonicalize(n) === canonicalizeReference(n) &&
          canonicalize([n, { n }]) === canonicalizeReference([n, { n }]),
      ),
      { numRuns: 2000 },
    );
  });

  it('R71: both implementations reject NaN, Infinity and lone surrogates anywhere in random values', () => {
    const poison = fc.constantFrom<unknown>(
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      '\ud800',
      'x\udfff',
    );
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 2 }), poison, fc.boolean(), (value, bad, asMember) => {
        const tainted = asMember ? { value, bad } : [value, [bad]];
        expectInvalidJson(() => canonicalize(tainted));
        expect(() => canonicalizeReference(tainted)).to.throw();
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseJson (I-JSON)', () => {
  it('G6: rejects duplicate member names, also when spelled with escapes or nested', () => {
    expectInvalidJson(() => parseJson('{"a":1,"a":2}'));
    expectInvalidJson(() => parseJson('{"a":1,"\\u0061":2}'));
    expectInvalidJson(() => parseJson('{"x":[{"b":true,"c":0,"b":false}]}'));
    expect(parseJson('{"a":{"a":1}}')).to.deep.equal({ a: { a: 1 } });
  });

  it('G6: rejects lone surrogates, out-of-range numbers and non-JSON text', () => {
    for (const text of [
      '"\\ud800"',
      '["\\udc00x"]',
      '{"\\ud800":1}',
      '1e400',
      '-1e400',
      'NaN',
      'Infinity',
      'undefined',
      '[1,]',
      '{"a":1,}',
      "{'a':1}",
      '01',
      '1.',
      '.5',
      '"\t"',
      '"\\x41"',
      '{"a" 1}',
      '[1 2]',
      '',
      '   ',
      '{} {}',
      '[',
      'tru',
    ]) {
      expectInvalidJson(() => parseJson(text));
    }
  });

  it('rejects long malformed strings in linear time (no regex backtracking)', () => {
    const started = Date.now();
    expectInvalidJson(() => parseJson(`{"kid":"${'ab-_'.repeat(50_000)}\u0001"}`)); // raw control character
    expectInvalidJson(() => parseJson(`"${'x'.repeat(200_000)}\\u000`)); // truncated escape
    expectInvalidJson(() => parseJson(`"${'x'.repeat(200_000)}\\q"`)); // unknown escape
    expect(parseJson(`"${'é'.repeat(100_000)}"`)).to.have.length(100_000);
    expect(Date.now() - started).to.be.lessThan(1000);
  });

  it('agrees with JSON.parse on valid JSON and keeps "__proto__" as an own member', () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: 'binary' }), (value) => {
        const text = JSON.stringify(value, null, 1);
        expect(parseJson(text)).to.deep.equal(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
    const parsed = parseJson('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    expect(Object.keys(parsed)).to.deep.equal(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    expect(Object.getPrototypeOf(parsed)).to.equal(Object.prototype);
  });

  it('refuses nesting deep enough to exhaust the stack with invalid-json, not a RangeError', () => {
    let value: unknown = 1;
    for (let i = 0; i < 100_000; i++) value = [value];
    expectInvalidJson(() => canonicalize(value));
  });
});
