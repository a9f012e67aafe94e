import { canonicalize } from '@consentkit/core';

/**
 * Whether `text` is exactly the RFC 8785 form of `value` (`JSON.parse(text)`): core's
 * `canonicalize(value) === text`, answered without building the canonical text when it can be.
 * `value` must be `JSON.parse(text)` (JSON.stringify would run a toJSON of anything else).
 * `consentkit verify` asks it of every stored record (the strict form) and ingest of every record
 * it takes; core's generic serializer was over half of that check's time (docs/benchmarks.md,
 * transparency).
 *
 * The quick answer: JSON.stringify writes strings and numbers exactly as RFC 8785 does, and
 * members in the parsed order, so when it gives back `text` and every object's keys are already
 * in UTF-16 order, the canonical text is `text` too. Anything else (keys out of order, integer-like
 * keys that V8 reorders, a `\u` escape that may hide a lone surrogate, a malformed string) is
 * core's to decide. A 10,000-case differential test holds the two together.
 */
export function isCanonicalText(text: string, value: unknown): boolean {
  if (!text.includes('\\u') && wellFormed(text) && JSON.stringify(value) === text && keysInOrder(value)) return true;
  try {
    return canonicalize(value) === text;
  } catch {
    return false;
  }
}

// String.prototype.isWellFormed (ES2024, in every Node this package supports): no lone surrogate.
const wellFormed = (text: string) => (text as string & { isWellFormed(): boolean }).isWellFormed();

function keysInOrder(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (!keysInOrder(item)) return false;
    return true;
  }
  let previous: string | undefined;
  for (const key in value) {
    if (previous !== undefined && !(previous < key)) return false;
    previous = key;
    if (!keysInOrder((value as Record<string, unknown>)[key])) return false;
  }
  return true;
}
