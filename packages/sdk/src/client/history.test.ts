import type { ConsentRecord } from '@consentkit/core';
import { expect } from 'chai';
import { HISTORY_LIMIT, isRecordList, mergeHistory } from './history.js';

// Only the fields the history orders by matter here; the rest of a record is opaque to it.
const rec = (id: string, issuedAt: string, method = 'checkbox') =>
  ({ id, issuedAt, method }) as unknown as ConsentRecord;

describe('client history', () => {
  it('merges by id, oldest first, ties broken by id (UUIDv7 ids sort by time)', () => {
    const merged = mergeHistory(
      [rec('b', '2026-01-02T00:00:00.000Z'), rec('c', '2026-01-01T00:00:00.000Z')],
      [rec('a', '2026-01-02T00:00:00.000Z'), rec('c', '2026-01-01T00:00:00.000Z', 'api')],
    );
    expect(merged.map((r) => r.id)).to.deep.equal(['c', 'a', 'b']);
    // A record seen again replaces the old copy instead of appearing twice.
    expect(merged[0]?.method).to.equal('api');
  });

  it(`keeps only the newest ${HISTORY_LIMIT} records`, () => {
    const many = Array.from({ length: HISTORY_LIMIT + 3 }, (_, i) =>
      rec(`r${String(i).padStart(4, '0')}`, new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString()),
    );
    const merged = mergeHistory([], many);
    expect(merged).to.have.length(HISTORY_LIMIT);
    expect(merged[0]?.id).to.equal('r0003');
    expect(merged.at(-1)?.id).to.equal(`r${String(HISTORY_LIMIT + 2).padStart(4, '0')}`);
  });

  it('treats only an array as a stored history', () => {
    expect(isRecordList([])).to.equal(true);
    expect(isRecordList(undefined)).to.equal(false);
    expect(isRecordList({ length: 0 })).to.equal(false);
  });
});
