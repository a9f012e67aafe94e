import type { Row } from './entry-text.js';

/**
 * A ledger row as PostgreSQL's binary COPY sends it (copy-rows.ts): the columns of `COLUMNS`, in
 * that order, as byte ranges of `buf` (`at[2k]` the start of column k, `at[2k + 1]` its length,
 * −1 for NULL). Text columns are their UTF-8 bytes, seq an int8 and entry_version an int2, big
 * endian; `view` is a DataView of the same bytes (offsets as in `buf`). One object is reused for
 * every row: nothing here is kept past the row's callback.
 */
export type RawRow = { buf: Buffer; view: DataView; readonly at: Int32Array };

/** Column numbers in `COLUMNS` (entry-text.ts). */
export const SEQ = 0;
export const RECORD_ID = 1;
const KID = 2;
const DIGEST = 3;
export const JWS = 4;
const SUBJECT_REF = 5;
const RECEIVED_AT = 6;
export const PREV_HASH = 7;
export const ENTRY_HASH = 8;
const ASSURANCE = 9;
const ENTRY_VERSION = 10;
export const RAW_COLUMNS = 11;

export const newRawRow = (): RawRow => ({
  buf: Buffer.alloc(0),
  view: new DataView(new ArrayBuffer(0)),
  at: new Int32Array(2 * RAW_COLUMNS),
});

/** Points `row` at `buf` (its columns' offsets are then set in `at`). */
export function rawRowOver(row: RawRow, buf: Buffer): void {
  row.buf = buf;
  row.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** A text column as the pg driver reads it (UTF-8), or null. */
export function textOf(row: RawRow, k: number): string | null {
  const start = row.at[2 * k] as number;
  const length = row.at[2 * k + 1] as number;
  return length < 0 ? null : row.buf.toString('utf8', start, start + length);
}

/** seq (int8) as a number, as the stores read it (`Number` of the text: exact below 2^53). */
export function seqOf(row: RawRow): number {
  const start = row.at[2 * SEQ] as number;
  if (row.at[2 * SEQ + 1] !== 8) return Number.NaN;
  return row.buf.readInt32BE(start) * 2 ** 32 + row.buf.readUInt32BE(start + 4);
}

/** The row as the pg driver would have returned it from a SELECT of `COLUMNS` (the slow path's input). */
export function rowOf(row: RawRow): Omit<Row, 'receipt'> {
  const version = row.at[2 * ENTRY_VERSION + 1] === 2 ? row.buf.readInt16BE(row.at[2 * ENTRY_VERSION] as number) : null;
  return {
    seq: seqOf(row),
    record_id: textOf(row, RECORD_ID) as string,
    kid: textOf(row, KID) as string,
    digest: textOf(row, DIGEST) as string,
    jws: textOf(row, JWS) as string,
    subject_ref: textOf(row, SUBJECT_REF),
    received_at: textOf(row, RECEIVED_AT) as string,
    prev_hash: textOf(row, PREV_HASH) as string,
    entry_hash: textOf(row, ENTRY_HASH) as string,
    assurance: textOf(row, ASSURANCE) as string,
    entry_version: version as number,
  };
}

/** Whether two text columns (of any rows) are the same string, as `===` on the driver's strings says. */
export function sameText(a: Buffer, aStart: number, aLength: number, b: Buffer, bStart: number, bLength: number) {
  if (aLength < 0 || bLength < 0) return aLength < 0 && bLength < 0;
  if (aLength === bLength && a.compare(b, bStart, bStart + bLength, aStart, aStart + aLength) === 0) return true;
  // Different bytes are different strings unless invalid UTF-8 decodes both to U+FFFD.
  return a.toString('utf8', aStart, aStart + aLength) === b.toString('utf8', bStart, bStart + bLength);
}

const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) HEX[0x30 + i] = i;
for (let i = 0; i < 6; i++) HEX[0x61 + i] = 10 + i;

/** Writes 64 lowercase hex digits at `start` as 32 bytes at `to`; false (nothing promised) otherwise. */
export function hex32(buf: Buffer, start: number, length: number, to: Uint8Array, at: number): boolean {
  if (length !== 64) return false;
  for (let i = 0; i < 32; i++) {
    const hi = HEX[buf[start + 2 * i] as number] as number;
    const lo = HEX[buf[start + 2 * i + 1] as number] as number;
    if ((hi | lo) < 0) return false;
    to[at + i] = (hi << 4) | lo;
  }
  return true;
}

const ascii = (s: string) => Buffer.from(s, 'latin1');
const OPEN_V2 = ascii('{"assurance":');
const DIGEST_V2 = ascii(',"digest":');
const DIGEST_V1 = ascii('{"digest":');
const JWS_KEY = ascii(',"jws":');
const KID_KEY = ascii(',"kid":');
const PREV_KEY = ascii(',"prevHash":');
const RECEIVED_KEY = ascii(',"receivedAt":');
const RECORD_KEY = ascii(',"recordId":');
const SEQ_KEY = ascii(',"seq":');
const SUBJECT_KEY = ascii(',"subjectRef":');
const NULL = ascii('null');
const CLOSE_V2 = ascii(',"v":2}');
const CLOSE_V1 = ascii('}');

/**
 * `0x00 || prev || fastBody(row)` (entry-text.ts) written from the row's bytes into `out` at 0,
 * with no string made: its length, or −1 when the row is not one this twin writes (then the
 * caller takes the string path, `rowOf` and `fastBody`). It writes the rows every entry the
 * product makes is: a prevHash of 64 lowercase hex digits, no NULL but the subject ref, text
 * columns of ASCII without control characters below 0x20, `"` or `\` (JSON.stringify quotes
 * those unchanged, so no escaping and no UTF-8 question arises), entry version 1 or 2, a safe-integer seq.
 * `out` must hold `roomFor(row)` bytes. entry-bytes.node.test.ts holds it to `fastBody`.
 */
export function writeHashInput(row: RawRow, out: Buffer): number {
  const { buf, at } = row;
  if (at[2 * ENTRY_VERSION + 1] !== 2) return -1;
  const version = buf.readInt16BE(at[2 * ENTRY_VERSION] as number);
  if (version !== 1 && version !== 2) return -1;
  const seq = seqOf(row);
  if (!Number.isSafeInteger(seq)) return -1;
  out[0] = 0x00;
  if (!hex32(buf, at[2 * PREV_HASH] as number, at[2 * PREV_HASH + 1] as number, out, 1)) return -1;
  // Module functions, not closures: one row is written at a time, and no closure is made per row.
  let n = 33;
  if (version === 2) {
    n = put(OPEN_V2, out, n);
    n = quoted(row, ASSURANCE, out, n);
    if (n < 0) return -1;
    n = put(DIGEST_V2, out, n);
  } else n = put(DIGEST_V1, out, n);
  n = quoted(row, DIGEST, out, n);
  if (n < 0) return -1;
  n = quoted(row, JWS, out, put(JWS_KEY, out, n));
  if (n < 0) return -1;
  n = quoted(row, KID, out, put(KID_KEY, out, n));
  if (n < 0) return -1;
  n = quoted(row, PREV_HASH, out, put(PREV_KEY, out, n));
  if (n < 0) return -1;
  n = quoted(row, RECEIVED_AT, out, put(RECEIVED_KEY, out, n));
  if (n < 0) return -1;
  n = quoted(row, RECORD_ID, out, put(RECORD_KEY, out, n));
  if (n < 0) return -1;
  n = put(SEQ_KEY, out, n);
  n += out.write(String(seq), n, 'latin1');
  n = put(SUBJECT_KEY, out, n);
  if (at[2 * SUBJECT_REF + 1] === -1) n = put(NULL, out, n);
  else {
    n = quoted(row, SUBJECT_REF, out, n);
    if (n < 0) return -1;
  }
  return put(version === 2 ? CLOSE_V2 : CLOSE_V1, out, n);
}

function put(constant: Buffer, out: Buffer, n: number): number {
  out.set(constant, n);
  return n + constant.length;
}

/** Column k quoted at n; where it ends, or −1 when JSON.stringify would escape something in it (or it is NULL). */
function quoted(row: RawRow, k: number, out: Buffer, n: number): number {
  const { buf, at } = row;
  const start = at[2 * k] as number;
  const length = at[2 * k + 1] as number;
  if (length < 0) return -1;
  const end = start + length;
  // Four bytes a step (the JWS is over 1 KB of every row): any byte ≥ 0x80, < 0x20, `"` or `\`
  // in the word, by the exact "has a byte less than / equal to" bit tests; the tail byte by byte.
  const view = row.view;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const x = view.getUint32(i, true);
    const quote = x ^ 0x22222222;
    const slash = x ^ 0x5c5c5c5c;
    if (
      (x & 0x80808080) !== 0 ||
      ((x - 0x20202020) & ~x & 0x80808080) !== 0 ||
      ((quote - 0x01010101) & ~quote & 0x80808080) !== 0 ||
      ((slash - 0x01010101) & ~slash & 0x80808080) !== 0
    )
      return -1;
  }
  for (; i < end; i++) {
    const b = buf[i] as number;
    if (b < 0x20 || b > 0x7f || b === 0x22 || b === 0x5c) return -1;
  }
  out[n] = 0x22;
  buf.copy(out, n + 1, start, end);
  out[n + length + 1] = 0x22;
  return n + length + 2;
}

/** Bytes `writeHashInput` may write for the row: its columns' bytes, their quotes, the keys and seq. */
export function roomFor(row: RawRow): number {
  let room = 33 + 200;
  for (let k = 0; k < RAW_COLUMNS; k++) room += Math.max(0, row.at[2 * k + 1] as number);
  return room;
}
