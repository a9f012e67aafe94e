/**
 * RFC 8785 JSON Canonicalization Scheme, and an I-JSON (RFC 7493) parser.
 * Signed records and ledger entries are hashed over these bytes, so the rules are strict: anything
 * that is not I-JSON (NaN, ±Infinity, undefined, functions, lone surrogates, class instances,
 * duplicate member names) throws `invalid-json` instead of being coerced the way JSON.stringify
 * would coerce it.
 */
import { ConsentError } from './errors.js';

export type JsonPrimitive = string | number | boolean | null;
export type JsonObject = { [key: string]: JsonValue };
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;

// With the `u` flag, paired surrogates form one code point; only unpaired halves match.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

function invalid(message: string, path: readonly (string | number)[]): ConsentError {
  return new ConsentError('invalid-json', `${message} at ${formatPath(path)}`, {
    hint: 'Canonical JSON (RFC 8785) accepts only I-JSON: finite numbers, well-formed strings, plain objects and arrays.',
  });
}

function formatPath(path: readonly (string | number)[]): string {
  return path.length === 0 ? '$' : `$${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}`;
}

function serializeString(text: string, path: readonly (string | number)[]): string {
  if (LONE_SURROGATE.test(text)) throw invalid('lone surrogate in string', path);
  // ECMAScript JSON.stringify escaping is exactly what RFC 8785 §3.2.2.2 prescribes.
  return JSON.stringify(text);
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function serialize(value: unknown, path: (string | number)[], seen: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return serializeString(value, path);
    case 'number':
      if (!Number.isFinite(value)) throw invalid(`${String(value)} is not a JSON number`, path);
      // Number.prototype.toString is the RFC 8785 §3.2.2.3 number form (and -0 becomes "0").
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (seen.has(value)) throw invalid('circular reference', path);
      seen.add(value);
      let out: string;
      if (Array.isArray(value)) {
        const items: string[] = [];
        for (let i = 0; i < value.length; i++) {
          path.push(i);
          items.push(serialize(value[i], path, seen));
          path.pop();
        }
        out = `[${items.join(',')}]`;
      } else if (isPlainObject(value)) {
        // Default sort compares UTF-16 code units, the order RFC 8785 §3.2.3 requires.
        const keys = Object.keys(value).sort();
        const members: string[] = [];
        for (const key of keys) {
          path.push(key);
          members.push(`${serializeString(key, path)}:${serialize(value[key], path, seen)}`);
          path.pop();
        }
        out = `{${members.join(',')}}`;
      } else {
        throw invalid(`a ${value.constructor?.name ?? 'non-plain'} object is not JSON`, path);
      }
      seen.delete(value);
      return out;
    }
    default:
      throw invalid(`${typeof value} is not JSON`, path);
  }
}

/** The RFC 8785 canonical form of `value` (a string; hash or sign its UTF-8 bytes). */
export function canonicalize(value: unknown): string {
  try {
    return serialize(value, [], new Set());
  } catch (error) {
    // Nesting deep enough to exhaust the stack is bad input, not a crash (parseJson caps at 512).
    // V8 throws RangeError, SpiderMonkey InternalError ("too much recursion").
    if (error instanceof RangeError || (error instanceof Error && error.name === 'InternalError')) {
      throw new ConsentError('invalid-json', 'value is nested too deeply to canonicalize', { cause: error });
    }
    throw error;
  }
}

/**
 * Parses JSON text strictly as I-JSON: duplicate member names, lone surrogates and numbers that
 * overflow a double are errors (`invalid-json`). Returns plain objects and arrays.
 */
export function parseJson(text: string): JsonValue {
  if (typeof text !== 'string') throw new ConsentError('invalid-json', 'JSON input must be a string');
  const parser = new Parser(text);
  parser.skipWhitespace();
  const value = parser.parseValue(0);
  parser.skipWhitespace();
  if (parser.pos !== text.length) throw parser.fail('unexpected text after the JSON value');
  return value;
}

const MAX_DEPTH = 512;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;

class Parser {
  readonly text: string;
  pos = 0;

  constructor(text: string) {
    this.text = text;
  }

  fail(message: string): ConsentError {
    return new ConsentError('invalid-json', `${message} (at offset ${this.pos})`, {
      hint: 'Send I-JSON (RFC 7493): unique member names, finite numbers, well-formed strings.',
    });
  }

  skipWhitespace(): void {
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      this.pos++;
    }
  }

  parseValue(depth: number): JsonValue {
    if (depth > MAX_DEPTH) throw this.fail('JSON nested too deeply');
    const c = this.text[this.pos];
    if (c === '{') return this.parseObject(depth);
    if (c === '[') return this.parseArray(depth);
    if (c === '"') return this.parseString();
    if (this.text.startsWith('true', this.pos)) {
      this.pos += 4;
      return true;
    }
    if (this.text.startsWith('false', this.pos)) {
      this.pos += 5;
      return false;
    }
    if (this.text.startsWith('null', this.pos)) {
      this.pos += 4;
      return null;
    }
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (match) {
      const value = Number(match[0]);
      if (!Number.isFinite(value)) throw this.fail('number is out of the IEEE-754 double range');
      this.pos += match[0].length;
      return value;
    }
    throw this.fail(c === undefined ? 'unexpected end of JSON' : `unexpected character ${JSON.stringify(c)}`);
  }

  parseString(): string {
    // A linear scan (a regex with nested quantifiers backtracks exponentially on bad input).
    const { text } = this;
    const start = this.pos;
    let i = start + 1;
    for (;;) {
      if (i >= text.length) throw this.fail('unterminated string');
      const c = text.charCodeAt(i);
      if (c === 0x22) break;
      if (c < 0x20) throw this.fail('control character in string');
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!HEX4.test(text.slice(i + 2, i + 6))) throw this.fail('bad \\u escape');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
          i += 2;
        } else {
          throw this.fail('bad escape');
        }
      } else {
        i++;
      }
    }
    const value = JSON.parse(text.slice(start, i + 1)) as string;
    if (LONE_SURROGATE.test(value)) throw this.fail('lone surrogate in string');
    this.pos = i + 1;
    return value;
  }

  parseArray(depth: number): JsonValue[] {
    this.pos++;
    const out: JsonValue[] = [];
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWhitespace();
      out.push(this.parseValue(depth + 1));
      this.skipWhitespace();
      const c = this.text[this.pos++];
      if (c === ']') return out;
      if (c !== ',') {
        this.pos--;
        throw this.fail('expected "," or "]"');
      }
    }
  }

  parseObject(depth: number): JsonObject {
    this.pos++;
    const out: JsonObject = {};
    const names = new Set<string>();
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') throw this.fail('expected a member name');
      const start = this.pos;
      const name = this.parseString();
      if (names.has(name)) {
        this.pos = start;
        throw this.fail(`duplicate member name ${JSON.stringify(name)}`);
      }
      names.add(name);
      this.skipWhitespace();
      if (this.text[this.pos] !== ':') throw this.fail('expected ":"');
      this.pos++;
      this.skipWhitespace();
      const value = this.parseValue(depth + 1);
      // defineProperty keeps "__proto__" an own data member, as JSON.parse does.
      Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
      this.skipWhitespace();
      const c = this.text[this.pos++];
      if (c === '}') return out;
      if (c !== ',') {
        this.pos--;
        throw this.fail('expected "," or "}"');
      }
    }
  }
}
