// The range workers' byte path (copy-rows.ts, entry-bytes.ts) against the string path it stands
// in for, on 12,000 generated rows sent through the binary COPY format and cut into chunks
// anywhere: each row reads back as the pg driver's row (`rowOf`), and the hash input written from
// its bytes is byte for byte `0x00 || prev || fastBody(row)` whenever the twin writes one; rows it
// does not write (escapes, non-ASCII, NULLs, odd hex or versions) are the string path's. R72.
import { expect } from 'chai';
import { createCopyParser } from './copy-rows.js';
import { newRawRow, RAW_COLUMNS, roomFor, rowOf, sameText, writeHashInput } from './entry-bytes.js';
import { fastBody, type Row } from './entry-text.js';

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const HEX = '0123456789abcdef';
const ODD = ['"', '\\', '\u0000', '\u001f', '\n', '\u007f', 'é', '中', '😀', '\u2028', ' ', '/', '+', '=', '~'];

type TestRow = Omit<Row, 'receipt'>;

function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

function generated(i: number): TestRow {
  const r = rng(i + 1);
  const pick = (alphabet: string | readonly string[], length: number) => {
    let out = '';
    for (let k = 0; k < length; k++) out += alphabet[Math.floor(r() * alphabet.length)];
    return out;
  };
  // Most rows are as the product writes them; about one in three has one odd thing somewhere.
  const odd = r() < 0.35 ? Math.floor(r() * 12) : -1;
  const oddChar = ODD[Math.floor(r() * ODD.length)] as string;
  // Anywhere in the column: the twin scans four bytes a step, then the tail byte by byte.
  const text = (k: number, plain: string) => {
    if (odd !== k) return plain;
    const at = Math.floor(r() * (plain.length + 1));
    return `${plain.slice(0, at)}${oddChar}${plain.slice(at)}`;
  };
  const hex = pick(HEX, 64);
  return {
    seq: odd === 8 ? 2 ** 53 + 2 * i : 1 + Math.floor(r() * 2 ** 40),
    record_id: text(0, `rec-${pick(B64URL, 22)}`),
    kid: text(1, pick(B64URL, 43)),
    digest: text(2, pick(HEX, 64)),
    jws: text(
      3,
      `${pick(B64URL, 40 + Math.floor(r() * 50))}.${pick(B64URL, 500 + Math.floor(r() * 900))}.${pick(B64URL, 86)}`,
    ),
    subject_ref: r() < 0.2 ? null : text(4, `subj-${pick(HEX, 16)}`),
    received_at: text(5, new Date(1_700_000_000_000 + Math.floor(r() * 1e11)).toISOString()),
    prev_hash: odd === 6 ? hex.toUpperCase() : odd === 7 ? hex.slice(0, 63) : text(11, hex),
    entry_hash: pick(HEX, 64),
    assurance:
      odd === 9 ? (null as unknown as string) : text(10, (['device', 'site', 'inbox'] as const)[i % 3] as string),
    entry_version: odd === 10 ? 3 : r() < 0.25 ? 1 : 2,
  };
}

/** The rows as PostgreSQL's binary COPY of `COLUMNS` sends them. */
function binaryCopy(rows: readonly TestRow[]): Buffer {
  const parts: Buffer[] = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)];
  const text = (v: string | null) => {
    const len = Buffer.alloc(4);
    if (v === null) {
      len.writeInt32BE(-1);
      parts.push(len);
      return;
    }
    const bytes = Buffer.from(v, 'utf8');
    len.writeInt32BE(bytes.length);
    parts.push(len, bytes);
  };
  for (const row of rows) {
    const head = Buffer.alloc(2 + 4 + 8);
    head.writeInt16BE(RAW_COLUMNS, 0);
    head.writeInt32BE(8, 2);
    head.writeBigInt64BE(BigInt(row.seq), 6);
    parts.push(head);
    for (const v of [row.record_id, row.kid, row.digest, row.jws, row.subject_ref, row.received_at])
      text(v as string | null);
    for (const v of [row.prev_hash, row.entry_hash, row.assurance]) text(v as string | null);
    const version = Buffer.alloc(6);
    version.writeInt32BE(2, 0);
    version.writeInt16BE(row.entry_version, 4);
    parts.push(version);
  }
  const trailer = Buffer.alloc(2);
  trailer.writeInt16BE(-1);
  parts.push(trailer);
  return Buffer.concat(parts);
}

describe('the range workers’ byte path (binary COPY, entry-bytes.ts) — R72', () => {
  it('reads back every row and writes fastBody’s exact hash input, on 12,000 rows cut anywhere', () => {
    const rows = Array.from({ length: 12_000 }, (_, i) => generated(i));
    const stream = binaryCopy(rows);
    let fast = 0;
    let slow = 0;
    let i = 0;
    const parser = createCopyParser((raw) => {
      const row = rows[i] as TestRow;
      expect(rowOf(raw), `row ${i}`).to.deep.equal(row);
      const out = Buffer.alloc(roomFor(raw));
      const end = writeHashInput(raw, out);
      if (end < 0) slow++;
      else {
        fast++;
        const prev = Buffer.alloc(32);
        prev.write(row.prev_hash, 'hex');
        const want = Buffer.concat([Buffer.from([0]), prev, Buffer.from(fastBody(row), 'utf8')]);
        expect(out.subarray(0, end).equals(want), `row ${i}: ${fastBody(row).slice(0, 100)}`).to.equal(true);
      }
      i++;
      return true;
    });
    // Chunks of every size from 1 byte to a few rows, so rows and headers are split anywhere.
    const r = rng(7);
    for (let at = 0; at < stream.length; ) {
      const size = r() < 0.3 ? 1 + Math.floor(r() * 40) : 1 + Math.floor(r() * 6000);
      parser.push(Buffer.from(stream.subarray(at, at + size)));
      at += size;
    }
    expect(parser.end()).to.equal(rows.length);
    expect(i).to.equal(rows.length);
    // Both paths were taken, the twin's most of all (as on a real ledger).
    expect(fast).to.be.above(7000);
    expect(slow).to.be.above(2000);
  });

  it('the twin writes nothing for a row any escaping or non-ASCII byte would change', () => {
    const base: TestRow = {
      seq: 7,
      record_id: 'rec-1',
      kid: 'k1',
      digest: 'ab'.repeat(32),
      jws: 'a.b.c',
      subject_ref: null,
      received_at: '2026-12-07T08:00:00.000Z',
      prev_hash: 'cd'.repeat(32),
      entry_hash: 'ef'.repeat(32),
      assurance: 'site',
      entry_version: 2,
    };
    for (const ch of ODD) {
      for (const column of ['jws', 'kid', 'record_id', 'received_at', 'subject_ref'] as const) {
        const row = { ...base, [column]: `abc${ch}def` };
        const parser = createCopyParser((raw) => {
          const end = writeHashInput(raw, Buffer.alloc(roomFor(raw)));
          const plain = /^[\x20-\x7f]$/.test(ch) && ch !== '"' && ch !== '\\';
          expect(end >= 0, `${column} with ${JSON.stringify(ch)}`).to.equal(plain);
          return true;
        });
        parser.push(binaryCopy([row]));
        parser.end();
      }
    }
  });

  it('compares stored hashes as the driver’s strings would (NULLs, invalid UTF-8)', () => {
    const b = (s: string) => Buffer.from(s, 'latin1');
    expect(sameText(b('ab'), 0, 2, b('ab'), 0, 2)).to.equal(true);
    expect(sameText(b('ab'), 0, 2, b('ac'), 0, 2)).to.equal(false);
    expect(sameText(b('ab'), 0, -1, b('ab'), 0, -1)).to.equal(true);
    expect(sameText(b('ab'), 0, -1, b(''), 0, 0)).to.equal(false);
    // Two invalid bytes are both U+FFFD to the driver: the same string.
    expect(sameText(b('\xff'), 0, 1, b('\xfe'), 0, 1)).to.equal(true);
  });

  it('refuses a stream that ends inside a row', () => {
    const stream = binaryCopy([generated(1)]);
    const parser = createCopyParser(() => true);
    parser.push(stream.subarray(0, stream.length - 10));
    expect(() => parser.end()).to.throw(/ended inside a row/);
    expect(newRawRow().at.length).to.equal(2 * RAW_COLUMNS);
  });
});
