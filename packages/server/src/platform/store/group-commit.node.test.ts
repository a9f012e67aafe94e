import { expect } from 'chai';
import { createGroupCommit } from './group-commit.js';

describe('group commit', () => {
  it('runs the first caller at once and groups the callers that arrive while it runs, in order', async () => {
    const groups: number[][] = [];
    const queue = createGroupCommit<number, number>({
      run: async (items) => {
        groups.push([...items]);
        await new Promise((resolve) => setTimeout(resolve, 5));
        return items.map((n) => n * 10);
      },
    });
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => queue.submit(n)));
    expect(results).to.deep.equal([10, 20, 30, 40, 50]);
    expect(groups).to.deep.equal([[1], [2, 3, 4, 5]]);
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
