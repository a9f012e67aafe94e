import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { HistorySliceOutcome, HistorySliceTask } from './history-slice.js';
import type { Subtree } from './leaf-hasher.js';
import type { RangeOutcome, RangeTask } from './range-check.js';

export type { RangeOutcome, RangeTask } from './range-check.js';

/**
 * verify's walk on PostgreSQL, spread over worker threads that read the entries themselves: each
 * worker holds its own connection and checks whole ranges of seqs (range-check.ts), answering
 * with a few hashes per range (its first link, last hash, subtree roots, the checkpoints' entry
 * hashes). Profiled, the walk's one thread spent ≈ 15 µs per entry turning rows into strings and
 * objects and building hash inputs before any hash was made: rows never reach that thread now.
 *
 * Outcomes come back in range order, at most `depth` ranges ahead of the one being read, so
 * memory stays flat. PGlite cannot take part: it is one process's database (no second connection).
 *
 * The same workers then check the subject histories in slices of people (history-slice.ts,
 * verify-histories.ts): started once, their modules and connections serve both passes.
 */
export type RangeWalker = {
  /** The outcome of each task `taskAt(0)`, `taskAt(1)`, … in order, until `taskAt` gives undefined. */
  walk(taskAt: (k: number) => Promise<RangeTask | undefined>): AsyncGenerator<RangeOutcome>;
  /** As `walk`, for slices of the subject histories. */
  slices(taskAt: (k: number) => Promise<HistorySliceTask | undefined>): AsyncGenerator<HistorySliceOutcome>;
  /** Ends the workers and their connections (a walk left early: its ranges are dropped). */
  close(): Promise<void>;
};

// Under tsx (tests, the CLI from source) this module is the .ts source and workers inherit its
// loader; built, it is the .js beside the compiled worker (tsconfig.build.json lists the worker).
const WORKER_URL = new URL(
  import.meta.url.endsWith('.ts') ? './range-worker.ts' : './range-worker.js',
  import.meta.url,
);

/** What a worker is sent: a range of entries, or a slice of the subject histories. */
export type WorkerTask = ({ readonly kind: 'range' } & RangeTask) | ({ readonly kind: 'histories' } & HistorySliceTask);

type Reply = { readonly id: number; readonly outcome?: unknown; readonly error?: string };
type Waiter = { resolve(outcome: unknown): void; reject(error: Error): void };

/** Hashes cross threads as Uint8Array; the walk's merkle.ts works on Buffers. */
function asBuffers(outcome: RangeOutcome): RangeOutcome {
  const buf = (h: Uint8Array) => Buffer.from(h.buffer, h.byteOffset, h.byteLength);
  const stretches: Subtree[][] = outcome.stretches.map((s) => s.map((t) => ({ level: t.level, hash: buf(t.hash) })));
  return { ...outcome, stretches };
}

export function createRangeWalker(options: {
  readonly databaseUrl: string;
  readonly threads?: number;
  /** Ranges handed out ahead of the one the walk waits for (default two per worker). */
  readonly depth?: number;
}): RangeWalker {
  const threads = Math.max(1, options.threads ?? availableParallelism());
  const depth = Math.max(1, options.depth ?? threads * 2);
  const workers: Worker[] = [];
  const waiting = new Map<number, Waiter & { worker: Worker }>();
  let nextId = 0;

  function failAll(worker: Worker, error: Error) {
    for (const [id, w] of waiting) {
      if (w.worker !== worker) continue;
      waiting.delete(id);
      w.reject(error);
    }
  }

  function workerAt(k: number): Worker {
    const existing = workers[k];
    if (existing) return existing;
    const worker = new Worker(WORKER_URL, { workerData: { databaseUrl: options.databaseUrl } });
    worker.on('message', (reply: Reply) => {
      const w = waiting.get(reply.id);
      if (!w) return;
      waiting.delete(reply.id);
      if (reply.outcome) w.resolve(reply.outcome);
      else w.reject(new Error(`range walker: ${reply.error ?? 'no answer'}`));
    });
    worker.on('error', (error) => failAll(worker, error));
    worker.on('exit', () => failAll(worker, new Error('range walker: a worker exited')));
    workers[k] = worker;
    return worker;
  }

  function send(worker: Worker, task: WorkerTask): Promise<unknown> {
    const id = nextId++;
    const answer = new Promise<unknown>((resolve, reject) => {
      waiting.set(id, { resolve, reject, worker });
    });
    worker.postMessage({ id, ...task });
    // A walk left early never awaits the ranges it handed out: their failure is not unhandled.
    answer.catch(() => {});
    return answer;
  }

  /** Each task's outcome in the order of tasks, at most `depth` ahead of the one awaited. */
  async function* inOrder<T, O>(
    taskAt: (k: number) => Promise<T | undefined>,
    message: (task: T) => WorkerTask,
    outcomeOf: (reply: unknown) => O,
  ): AsyncGenerator<O> {
    const pending: Promise<unknown>[] = [];
    let k = 0;
    let exhausted = false;
    const fill = async () => {
      while (!exhausted && pending.length < depth) {
        const task = await taskAt(k);
        if (task === undefined) exhausted = true;
        else pending.push(send(workerAt(k % threads), message(task)));
        k++;
      }
    };
    await fill();
    for (;;) {
      const first = pending.shift();
      if (!first) return;
      const outcome = outcomeOf(await first);
      await fill();
      yield outcome;
    }
  }

  return {
    walk: (taskAt) =>
      inOrder(
        taskAt,
        (task) => ({ kind: 'range', ...task }),
        (reply) => asBuffers(reply as RangeOutcome),
      ),
    slices: (taskAt) =>
      inOrder(
        taskAt,
        (task) => ({ kind: 'histories', ...task }),
        (reply) => reply as HistorySliceOutcome,
      ),
    async close() {
      const all = workers.splice(0);
      await Promise.all(all.map((w) => w.terminate()));
    },
  };
}
