import { expect } from 'chai';
import { type ChainEntry, entryHash, GENESIS_HASH, verifyChain } from './chain.js';
import { concatBytes, hexDecode, utf8Encode } from './encoding.js';
import { sha256Hex } from './hash.js';

async function append(chain: ChainEntry[], data: { recordId: string; digest: string }): Promise<ChainEntry> {
  const last = chain[chain.length - 1];
  const body = { seq: last ? last.seq + 1 : 1, prevHash: last ? last.entryHash : GENESIS_HASH, ...data };
  const entry = { ...body, entryHash: await entryHash({ prevHash: body.prevHash, entry: body }) };
  chain.push(entry);
  return entry;
}

/** Rebuilds the links from `from` on, as an attacker with write access (but no checkpoint) would. */
async function rehashFrom(chain: ChainEntry[], from: number): Promise<ChainEntry[]> {
  const out = chain.slice(0, from);
  for (const { seq: _s, prevHash: _p, entryHash: _e, ...data } of chain.slice(from)) {
    await append(out, data as { recordId: string; digest: string });
  }
  return out;
}

describe('hash chain (R72)', () => {
  let chain: ChainEntry[];

  before(async () => {
    chain = [];
    for (let i = 0; i < 1000; i++) {
      await append(chain, { recordId: `r-${i}`, digest: await sha256Hex(`record ${i}`) });
    }
  });

  it('entryHash = SHA-256(prevHash bytes ‖ JCS(entry)) and the genesis hash is 32 zero bytes', async () => {
    expect(GENESIS_HASH).to.equal('0'.repeat(64));
    const entry = { seq: 1, prevHash: GENESIS_HASH, b: 2, a: 1 };
    const expected = await sha256Hex(
      concatBytes(new Uint8Array(32), utf8Encode(`{"a":1,"b":2,"prevHash":"${GENESIS_HASH}","seq":1}`)),
    );
    expect(await entryHash({ prevHash: GENESIS_HASH, entry })).to.equal(expected);
    expect(hexDecode(GENESIS_HASH)).to.have.length(32);
  });

  it('G8: a chain of 1,000 entries verifies, also against its checkpoint', async () => {
    expect(await verifyChain(chain)).to.deep.equal({ ok: true, count: 1000 });
    const head = chain[999] as ChainEntry;
    expect(await verifyChain(chain, { checkpoint: { seq: head.seq, entryHash: head.entryHash } })).to.deep.equal({
      ok: true,
      count: 1000,
    });
    expect(await verifyChain([])).to.deep.equal({ ok: true, count: 0 });
  });

  it('G8: a modified field in entry 500 is detected at 500 (and at 501 if its hash is recomputed)', async () => {
    const modified = chain.map((e) => ({ ...e }));
    (modified[500] as ChainEntry).digest = await sha256Hex('forged');
    expect(await verifyChain(modified)).to.deep.equal({ ok: false, index: 500, seq: 501, reason: 'entry-hash' });

    const { entryHash: _old, ...body } = modified[500] as ChainEntry;
    (modified[500] as ChainEntry).entryHash = await entryHash({ prevHash: body.prevHash, entry: body });
    expect(await verifyChain(modified)).to.deep.equal({ ok: false, index: 501, seq: 502, reason: 'prev-hash' });
  });

  it('G8: a deleted entry is detected where it was', async () => {
    const deleted = [...chain.slice(0, 500), ...chain.slice(501)];
    expect(await verifyChain(deleted)).to.include({ ok: false, index: 500 });
    // Deleting the first entry breaks the genesis link.
    expect(await verifyChain(chain.slice(1))).to.deep.equal({ ok: false, index: 0, seq: 2, reason: 'prev-hash' });
  });

  it('G8: swapping entries 499 and 500 is detected', async () => {
    const swapped = [...chain];
    [swapped[499], swapped[500]] = [swapped[500] as ChainEntry, swapped[499] as ChainEntry];
    expect(await verifyChain(swapped)).to.include({ ok: false, index: 499 });
  });

  it('G8: an inserted, self-consistent forged entry is detected at the entry after it', async () => {
    const before = chain.slice(0, 500);
    const forged = await append([...before], { recordId: 'forged', digest: await sha256Hex('forged') });
    const inserted = [...before, forged, ...chain.slice(500)];
    const result = await verifyChain(inserted);
    expect(result).to.include({ ok: false, index: 501 });
  });

  it('G8: a dropped tail verifies alone but is detected against the signed head', async () => {
    const head = chain[999] as ChainEntry;
    const checkpoint = { seq: head.seq, entryHash: head.entryHash };
    const truncated = chain.slice(0, 900);
    expect(await verifyChain(truncated)).to.deep.equal({ ok: true, count: 900 });
    expect(await verifyChain(truncated, { checkpoint })).to.deep.equal({
      ok: false,
      index: 900,
      seq: 1000,
      reason: 'truncated',
    });
  });

  it('G8: a rewritten tail with recomputed links is caught only by the checkpoint', async () => {
    const head = chain[999] as ChainEntry;
    const tampered = chain.map((e) => ({ ...e }));
    (tampered[700] as ChainEntry).recordId = 'rewritten';
    const rewritten = await rehashFrom(tampered, 700);
    expect(await verifyChain(rewritten)).to.deep.equal({ ok: true, count: 1000 });
    expect(await verifyChain(rewritten, { checkpoint: { seq: head.seq, entryHash: head.entryHash } })).to.deep.equal({
      ok: false,
      index: 999,
      seq: 1000,
      reason: 'checkpoint',
    });
    // A checkpoint taken before the rewrite point still matches.
    const early = chain[600] as ChainEntry;
    expect(await verifyChain(rewritten, { checkpoint: { seq: early.seq, entryHash: early.entryHash } })).to.include({
      ok: true,
    });
  });

  it('reports malformed entries instead of throwing', async () => {
    const broken = chain.slice(0, 3).map((e) => ({ ...e }));
    (broken[1] as ChainEntry).prevHash = 'not-hex';
    expect(await verifyChain(broken)).to.deep.equal({ ok: false, index: 1, seq: 2, reason: 'malformed' });
    const gap = [chain[0] as ChainEntry, { ...(chain[1] as ChainEntry), seq: 5 }];
    expect(await verifyChain(gap)).to.deep.equal({ ok: false, index: 1, seq: 5, reason: 'seq' });
  });
});
