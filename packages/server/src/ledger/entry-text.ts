import { type EntryRow, fromRow, hashEntrySync, leafInput, toEntry } from './entry.js';
import type { EntryText } from './leaf-hasher.js';
import { type Hash, leafHash } from './merkle.js';

/** A ledger row as the walk reads it (the receipt only where it is needed). */
export type Row = Omit<EntryRow, 'receipt'> & { receipt?: string };

/** The columns the walk reads (`receipt` is added where receipts are checked). */
export const COLUMNS =
  'seq, record_id, kid, digest, jws, subject_ref, received_at, prev_hash, entry_hash, assurance, entry_version';

/**
 * The entry hash without a generic JCS pass: the body's keys in JCS order, each value through
 * JSON.stringify (which is JCS for strings and safe integers). A mismatch is confirmed with the
 * canonical form before it is reported.
 *
 * The JWS, over 1 KB of every body, is quoted as it is when it holds only base64url characters and
 * dots (then JSON.stringify would return it quoted unchanged); anything else takes JSON.stringify.
 * JSON.stringify's scan and copy of the JWS was most of this function's time; the test costs
 * nearly as much, so the input is only about 7 % cheaper (measured on the bench ledger's rows).
 */
const PLAIN_JWS = /^[\w.-]*$/;
const quoteJws = (jws: string) => (PLAIN_JWS.test(jws) ? `"${jws}"` : JSON.stringify(jws));
export function fastBody(e: Omit<Row, 'receipt'>): string {
  const v2 = Number(e.entry_version) === 2;
  return (
    `{${v2 ? `"assurance":${JSON.stringify(e.assurance)},` : ''}"digest":${JSON.stringify(e.digest)},` +
    `"jws":${quoteJws(e.jws)},"kid":${JSON.stringify(e.kid)},` +
    `"prevHash":${JSON.stringify(e.prev_hash)},"receivedAt":${JSON.stringify(e.received_at)},` +
    `"recordId":${JSON.stringify(e.record_id)},"seq":${Number(e.seq)},"subjectRef":${JSON.stringify(e.subject_ref)}` +
    `${v2 ? ',"v":2' : ''}}`
  );
}

/** Each row's hash input as verify first tries it (prev hash, fast body); the bench times the same. */
export function entryTexts(rows: ReadonlyArray<Omit<Row, 'receipt'>>): EntryText[] {
  return rows.map((e) => ({ prevHash: e.prev_hash, body: fastBody(e) }));
}

/**
 * The leaf hash of an entry whose fast body did not give its stored entry hash: the canonical
 * bytes (`leafInput`) decide; undefined when the entry hash does not hold over them either.
 */
export function canonicalLeaf(e: Row): Hash | undefined {
  try {
    const entry = toEntry(fromRow({ ...e, receipt: '' }));
    if (hashEntrySync(e.prev_hash, entry) !== e.entry_hash) return undefined;
    return leafHash(leafInput({ ...entry, prevHash: e.prev_hash }));
  } catch {
    return undefined;
  }
}
