import { expect } from 'chai';
import { createGroupCommit } from './group-commit.js';

describe('group commit', () => {
  it('groups the callers that arrive while a group runs into the next group, in order', async () => {
    const groups: number[][] = [];
    let started: () => void = () => {};
    const firstStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    const queue = createGroupCommit<number, number>({
      run: async (items) => {
        groups.push([...items]);
        started();
        await new Promise((resolve) => setTimeout(resolve, 5));
        return items.map((n) => n * 10);
      },
    });
    const first = queue.submit(1);
    await firstStarted;
    const results = await Promise.all([first, ...[2, 3, 4, 5].map((n) => queue.submit(n))]);
    expect(results).to.deep.equal([10, 20, 30, 40, 50]);
    expect(groups).to.deep.equal([[1], [2, 3, 4, 5]]);
  });

  it('callers read in the same event-loop turn join one group even when the run never yields to I/O', async () => {
    // PGlite runs a transaction on the server's own thread: a run made only of microtasks.
    const groups: number[][] = [];
    const queue = createGroupCommit<number, number>({
      run: async (items) => {
        groups.push([...items]);
        return [...items];
      },
    });
    // Requests whose bytes arrive together are handled one callback after another in one turn.
    const later = [2, 3, 4].map((n) => new Promise<number>((resolve) => setImmediate(() => resolve(queue.submit(n)))));
    const results = await Promise.all([queue.submit(1), ...later]);
    expect(results).to.deep.equal([1, 2, 3, 4]);
    expect(groups).to.deep.equal([[1, 2, 3, 4]]);
  });

  it('respects maxItems', async () => {
    const sizes: number[] = [];
    const queue = createGroupCommit<number, number>({
      maxItems: 2,
      run: async (items) => {
        sizes.push(items.length);
        return [...items];
      },
    });
    await Promise.all([1, 2, 3, 4, 5, 6].map((n) => queue.submit(n)));
    expect(Math.max(...sizes)).to.equal(2);
    expect(sizes.reduce((a, b) => a + b, 0)).to.equal(6);
  });

  it('a failing group is retried one by one, so only the bad caller fails', async () => {
    const queue = createGroupCommit<number, number>({
      run: async (items) => {
        if (items.includes(3)) throw new Error('bad item 3');
        return items.map((n) => n + 1);
      },
    });
    const settled = await Promise.allSettled([1, 2, 3, 4].map((n) => queue.submit(n)));
    expect(settled.map((s) => s.status)).to.deep.equal(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(settled[3]).to.deep.include({ value: 5 });
  });
});
