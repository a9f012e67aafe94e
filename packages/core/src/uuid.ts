/** UUIDv7 (RFC 9562 §5.7): time-ordered ids, so records sort by creation time in indexes. */
import { hexEncode } from './encoding.js';
import { ConsentError } from './errors.js';

let lastMs = -1;
let lastCounter = 0;

/**
 * A UUIDv7 for `now` (ms since the epoch, default `Date.now()`). Within one millisecond the 12-bit
 * `rand_a` field is a counter (RFC 9562 §6.2 method 1), so ids made by this process stay ordered.
 */
export function uuidv7(now: number = Date.now()): string {
  const ms = Math.floor(now);
  if (!Number.isSafeInteger(ms) || ms < 0 || ms > 0xffff_ffff_ffff) {
    throw new ConsentError('invalid-options', `uuidv7: timestamp ${now} is outside 48 bits`, {
      hint: 'Pass milliseconds since the epoch, from 0 to 2^48 - 1.',
    });
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let counter: number;
  if (ms === lastMs && lastCounter < 0xfff) {
    counter = lastCounter + 1;
  } else {
    // A fresh random start in the lower half leaves room to count up within the millisecond.
    counter = (((bytes[6] as number) << 8) | (bytes[7] as number)) & 0x7ff;
  }
  lastMs = ms;
  lastCounter = counter;
  // 48-bit big-endian timestamp; division because bit operators truncate to 32 bits.
  const high = Math.floor(ms / 0x1_0000_0000);
  const low = ms >>> 0;
  bytes[0] = (high >>> 8) & 0xff;
  bytes[1] = high & 0xff;
  bytes[2] = low >>> 24;
  bytes[3] = (low >>> 16) & 0xff;
  bytes[4] = (low >>> 8) & 0xff;
  bytes[5] = low & 0xff;
  bytes[6] = 0x70 | (counter >>> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | ((bytes[8] as number) & 0x3f);
  const hex = hexEncode(bytes);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** True for a lowercase RFC 9562 UUID (versions 1–8, variant 10): the form ConsentKit emits and stores. */
export function isUuid(text: unknown): text is string {
  return typeof text === 'string' && UUID.test(text);
}

/** The creation time (ms) of a UUIDv7, or undefined for other versions. */
export function uuidv7Time(id: string): number | undefined {
  if (!isUuid(id) || id[14] !== '7') return undefined;
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
