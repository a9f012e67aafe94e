import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect } from 'chai';
import { createLifecycle } from './lifecycle.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('lifecycle: waiting on a request until the shutdown cuts it off', () => {
  it('settles as the work does, its failure included, while no cut came', async () => {
    const lifecycle = createLifecycle();
    expect(await lifecycle.untilCut(Promise.resolve('done'))).to.equal('done');
    const failure = await lifecycle.untilCut(Promise.reject(new Error('handler failed'))).catch((e: unknown) => e);
    expect(failure).to.be.instanceOf(Error).with.property('message', 'handler failed');
  });

  it('answers cut for work still running at cutOff, and at once for work that starts after it', async () => {
    const lifecycle = createLifecycle();
    const running = lifecycle.untilCut(new Promise<string>(() => {}));
    lifecycle.cutOff();
    expect(await running).to.equal('cut');
    expect(await lifecycle.untilCut(new Promise<string>(() => {}))).to.equal('cut');
  });

  it('keeps nothing of a request once its work has settled, over many requests', async () => {
    const lifecycle = createLifecycle();
    const heapAfterGc = async () => {
      await nextTurn();
      gc();
      return process.memoryUsage().heapUsed;
    };
    const requests = async (n: number) => {
      for (let i = 0; i < n; i++) await lifecycle.untilCut(Promise.resolve(i));
    };
    await requests(1000); // the code itself, warmed
    const before = await heapAfterGc();
    await requests(50_000);
    // Racing each request with one promise that lasts until shutdown kept ≈ 460 bytes per
    // request: ≈ 23 MB here, where nothing should stay.
    expect((await heapAfterGc()) - before).to.be.below(5_000_000);
  });
});
