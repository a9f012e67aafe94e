// verify's fast hash input (`entryTexts`) against the one definition of an entry's bytes
// (`entryHashInput`, RFC 8785 through core's canonicalize), on 10,000 generated rows: plain JWSs
// (the quoted-as-is path), JWSs and other columns with quotes, escapes, control and astral
// characters (the JSON.stringify path), both entry versions, null and set subject refs.
import { expect } from 'chai';
import { type EntryRow, entryHashInput, fromRow, toEntry } from './entry.js';
import { entryTexts } from './verify-ledger.js';

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const ODD = ['"', '\\', '\u0000', '\u001f', '\n', 'é', '中', '😀', '\u2028', ' ', '/', '+', '='];

function pick(seed: number, alphabet: string | readonly string[], length: number): string {
  let out = '';
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out += alphabet[x % alphabet.length];
  }
  return out;
}

function row(i: number): EntryRow {
  const plain = i % 3 !== 0;
  const jws = plain
    ? `${pick(i, B64URL, 40 + (i % 50))}.${pick(i + 1, B64URL, 500 + (i % 900))}.${pick(i + 2, B64URL, 86)}`
    : // One character a plain JWS never holds, somewhere in an otherwise plain one.
      `${pick(i, B64URL, 30)}${ODD[i % ODD.length]}.${pick(i + 3, B64URL, 200)}`;
  const odd = i % 7 === 0 ? (ODD[(i >> 3) % ODD.length] as string) : '';
  return {
    seq: i + 1,
    record_id: `rec-${i}${odd}`,
    kid: pick(i + 4, B64URL, 43),
    digest: pick(i + 5, '0123456789abcdef', 64),
    jws,
    subject_ref: i % 5 === 0 ? null : `subj${odd}-${i}`,
    received_at: new Date(1_700_000_000_000 + i * 997).toISOString(),
    prev_hash: pick(i + 6, '0123456789abcdef', 64),
    entry_hash: pick(i + 7, '0123456789abcdef', 64),
    receipt: '',
    assurance: (['device', 'site', 'inbox'] as const)[i % 3] as string,
    entry_version: i % 4 === 0 ? 1 : 2,
  };
}

describe('verify’s fast hash input — R72', () => {
  it('is byte for byte the canonical entry hash input on 10,000 rows', () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => row(i));
    const texts = entryTexts(rows);
    let plain = 0;
    rows.forEach((r, i) => {
      const text = texts[i] as { prevHash: string; body: string };
      const fast = Buffer.concat([Buffer.from(text.prevHash, 'hex'), Buffer.from(text.body, 'utf8')]);
      const stored = fromRow(r);
      const want = entryHashInput(stored.prevHash, toEntry(stored));
      expect(fast.equals(want), `row ${i}: ${text.body.slice(0, 80)}`).to.equal(true);
      if (/^[\w.-]*$/.test(r.jws)) plain++;
    });
    // Both paths of the JWS quoting were taken.
    expect(plain).to.be.within(6000, 7000);
  });
});
