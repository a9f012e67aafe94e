import { expect } from 'chai';
import type { OutgoingRecord } from '../backend.js';
import { recordsBody } from '../backends/http/http-backend.js';
import { BEACON_MAX_BYTES, chunkBySize } from './outbox.js';

const fakeRecord = (i: number, bytes: number): OutgoingRecord =>
  ({ id: `r${i}`, jws: 'x'.repeat(bytes), record: {} }) as unknown as OutgoingRecord;

describe('page-hide payloads (R63, R64)', () => {
  it('splits a large queue into bodies of at most 60 KiB, keeping order and every record', () => {
    const records = Array.from({ length: 40 }, (_, i) => fakeRecord(i, 4000 + i * 50));
    const chunks = chunkBySize(records);
    expect(chunks.length).to.be.greaterThan(2);
    for (const chunk of chunks) {
      expect(new TextEncoder().encode(recordsBody(chunk)).byteLength).to.be.at.most(BEACON_MAX_BYTES);
    }
    expect(chunks.flat().map((r) => r.id)).to.deep.equal(records.map((r) => r.id));
  });

  it('leaves a record that can never fit a beacon to the normal send', () => {
    const chunks = chunkBySize([fakeRecord(1, 100), fakeRecord(2, 70_000), fakeRecord(3, 100)]);
    expect(chunks.flat().map((r) => r.id)).to.deep.equal(['r1', 'r3']);
  });
});
