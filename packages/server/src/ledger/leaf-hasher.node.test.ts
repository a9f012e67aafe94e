// The page hasher verify runs on every core, checked against SHA-256 computed here the plain way
// (createHash over the entry hash input, and over 0x00 then that input for the RFC 9162 leaf),
// on 10,000 entries of random text, in place and on the workers.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { createLeafHasher, type EntryText } from './leaf-hasher.js';
import { type Hash, pushBlock, pushLeaf, rootOf } from './merkle.js';

/** RFC 9162 §2.1.1 MTH, written here from the RFC: the largest power of two below n splits. */
function mth(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 1) return leaves[0] as Buffer;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return createHash('sha256')
    .update(Buffer.from([0x01]))
    .update(mth(leaves.slice(0, k)))
    .update(mth(leaves.slice(k)))
    .digest();
}

// One- to four-byte UTF-8 characters (an astral one is two UTF-16 units), quotes, escapes, NUL.
const TEXT = ['a', 'Z', '0', '"', '\\', 'é', '€', '中', '😀', '\u0000', ' ', '{']
  .map((c, i, all) => c + all[(i * 5) % all.length])
  .join('')
  .repeat(200);

function randomEntry(seed: number): EntryText {
  const from = (seed * 131) % 997;
  return { prevHash: randomBytes(32).toString('hex'), body: TEXT.slice(from, from + ((seed * 7919) % 3000)) };
}

function expected(e: EntryText): { entry: Buffer; leaf: Buffer } {
  const input = Buffer.concat([Buffer.from(e.prevHash, 'hex'), Buffer.from(e.body, 'utf8')]);
  return {
    entry: createHash('sha256').update(input).digest(),
    leaf: createHash('sha256')
      .update(Buffer.from([0x00]))
      .update(input)
      .digest(),
  };
}

describe('leaf hasher (verify’s entry and leaf hashes) — R72', () => {
  for (const threads of [1, 2]) {
    it(`matches plain SHA-256 on 10,000 entries, pages of every size, ${threads} thread(s)`, async () => {
      const hasher = createLeafHasher({ threads });
      try {
        const entries = Array.from({ length: 10_000 }, (_, i) => randomEntry(i));
        // Pages below and above the size handed to the workers, and a large page after a small one
        // (the bytes buffer grows) and a small one after a large one (it is reused).
        const sizes = [1, 700, 3, 2500, 511, 512, 1, 4000, 1772];
        let at = 0;
        for (const size of sizes) {
          const page = entries.slice(at, at + size);
          const out = await hasher.hashPage(page);
          expect(out.length).to.equal(page.length * 64);
          page.forEach((e, i) => {
            const want = expected(e);
            expect(out.subarray(i * 64, i * 64 + 32).equals(want.entry), `entry hash ${at + i}`).to.equal(true);
            expect(out.subarray(i * 64 + 32, i * 64 + 64).equals(want.leaf), `leaf hash ${at + i}`).to.equal(true);
          });
          at += size;
        }
        expect(at).to.equal(entries.length);
        expect((await hasher.hashPage([])).length).to.equal(0);
      } finally {
        await hasher.close();
      }
    });
  }

  for (const threads of [1, 2]) {
    it(`hashes the tree of each page in stretches like leaf-by-leaf pushes, 18,000 leaves, ${threads} thread(s)`, async () => {
      const hasher = createLeafHasher({ threads });
      try {
        const entries = Array.from({ length: 18_000 }, (_, i) => ({ prevHash: '00'.repeat(32), body: `e${i}` }));
        const sizes = [1, 700, 3, 2500, 511, 512, 1, 4000, 1772, 2000, 3000, 3000];
        let seed = threads;
        const rand = (n: number) => {
          seed = (seed * 1103515245 + 12345) & 0x7fffffff;
          return seed % n;
        };
        // Dense: a stretch ends after about two leaves in three (short stretches, over 10,000
        // frontiers compared). Sparse: one in 200 (large complete subtrees).
        for (const share of [2 / 3, 1 / 200]) {
          const byBlocks: Hash[] = [];
          const byLeaves: Hash[] = [];
          const leaves: Buffer[] = [];
          let at = 0;
          let roots = 0;
          for (const size of sizes) {
            const out = await hasher.hashPage(entries.slice(at, at + size));
            const ends = Array.from({ length: size }, (_, i) => i + 1).filter(
              (end) => end === size || rand(1_000_000) < share * 1_000_000,
            );
            const stretches = await hasher.subtrees(at, ends);
            expect(stretches.length).to.equal(ends.length);
            let start = 0;
            ends.forEach((end, k) => {
              let pos = at + start;
              for (const block of stretches[k] ?? []) {
                pushBlock(byBlocks, pos, block.level, block.hash);
                pos += 2 ** block.level;
              }
              expect(pos).to.equal(at + end);
              for (let i = start; i < end; i++) {
                const leaf = out.subarray(i * 64 + 32, i * 64 + 64);
                leaves.push(Buffer.from(leaf));
                pushLeaf(byLeaves, at + i, leaf);
              }
              expect(byBlocks.map((h) => h.toString('hex'))).to.deep.equal(byLeaves.map((h) => h.toString('hex')));
              roots++;
              start = end;
            });
            at += size;
          }
          expect(at).to.equal(entries.length);
          expect(roots).to.be.greaterThan(share > 0.5 ? 10_000 : sizes.length);
          expect(rootOf(byBlocks).equals(mth(leaves))).to.equal(true);
        }
        // A subtree cannot start off its alignment.
        expect(() => pushBlock([], 1, 1, Buffer.alloc(32))).to.throw(/cannot start at 1/);
      } finally {
        await hasher.close();
      }
    });
  }

  it('hashes one page at a time: a second page while one is hashed is refused', async () => {
    const hasher = createLeafHasher({ threads: 2 });
    try {
      const page = Array.from({ length: 2000 }, (_, i) => randomEntry(i));
      const first = hasher.hashPage(page);
      let refused: unknown;
      await hasher.hashPage(page).catch((error: unknown) => {
        refused = error;
      });
      expect(String(refused)).to.match(/one page at a time/);
      expect((await first).length).to.equal(2000 * 64);
    } finally {
      await hasher.close();
    }
  });

  it('runs its workers in a process started with --input-type=module (the flags workers inherit)', () => {
    const hasher = fileURLToPath(new URL('./leaf-hasher.ts', import.meta.url));
    const code = `
      import { createLeafHasher } from ${JSON.stringify(hasher)};
      const h = createLeafHasher({ threads: 2 });
      const out = await h.hashPage(Array.from({ length: 600 }, () => ({ prevHash: '00'.repeat(32), body: 'x' })));
      await h.close();
      console.log(out.subarray(600 * 64 - 32).toString('hex'));`;
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--conditions=@consentkit/source', '--input-type=module', '-e', code],
      { encoding: 'utf8' },
    );
    expect(run.stderr).to.equal('');
    expect(run.stdout.trim()).to.equal(expected({ prevHash: '00'.repeat(32), body: 'x' }).leaf.toString('hex'));
  });
});
