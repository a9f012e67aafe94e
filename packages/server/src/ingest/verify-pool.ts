import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { KeyCache } from './record-verifier.js';
import { checkSignedRecord, type SignatureCheck } from './signature-check.js';

/**
 * Record signature checks spread over worker threads. Ed25519 verification is the physical limit
 * of ingest (one core verifies about 10,000 a second), and on PGlite the database runs on the
 * server's own thread: a batch's checks move off that thread and onto every core.
 *
 * Each worker runs `checkSignedRecord`, the same function the server runs in place, so a record
 * gets the same verdict and code either way. Small batches are checked in place: the hand-off costs
 * more than one verification, and a single capture should not wait for a thread to wake. A worker
 * that fails or exits hands its unanswered records back to the in-place check (none is lost or
 * answered twice); the next batch starts a new one. Idle workers are unref'd, so they never hold a
 * process open; `close()` ends them.
 */
export type VerifyPool = {
  check(jws: readonly string[]): Promise<SignatureCheck[]>;
  /** How many records were answered by a worker and how many in place, since the pool was made. */
  counts(): { readonly inWorkers: number; readonly inPlace: number };
  close(): Promise<void>;
};

export type VerifyPoolOptions = {
  /** Worker threads (default: one per core); 0 checks everything in place. */
  readonly threads?: number;
  /** Batches smaller than this are checked in place (default 8). */
  readonly inlineBelow?: number;
  /** The key cache of the in-place check (each worker keeps its own). */
  readonly keys: KeyCache;
};

type Task = { readonly jws: readonly string[]; resolve(results: SignatureCheck[]): void };
type Slot = { readonly worker: Worker; readonly pending: Map<number, Task>; dead: boolean; ready: boolean };
type Reply = { readonly id: number; readonly results?: SignatureCheck[]; readonly error?: string };

// Under tsx (tests, `pnpm start`) this module is the .ts source and workers inherit its loader;
// built, it is the .js beside the compiled worker (tsconfig.build.json lists the worker: nothing
// imports it).
const WORKER_URL = new URL(
  import.meta.url.endsWith('.ts') ? './verify-worker.ts' : './verify-worker.js',
  import.meta.url,
);

/** Below this many records per worker a batch is not split further. */
const MIN_PER_WORKER = 8;

export function createVerifyPool(options: VerifyPoolOptions): VerifyPool {
  const threads = Math.max(0, options.threads ?? availableParallelism());
  const inlineBelow = Math.max(1, options.inlineBelow ?? 8);
  const tally = { inWorkers: 0, inPlace: 0 };
  const inPlace = (jws: readonly string[]) => {
    tally.inPlace += jws.length;
    return Promise.all(jws.map((j) => checkSignedRecord(j, options.keys)));
  };
  const slots: Array<Slot | undefined> = [];
  let nextId = 0;
  let closed = false;
  /** Set when a worker fails before it loads (no loader for its file here): check in place from then on. */
  let broken = false;

  /** A worker's unanswered records are checked here instead: each is answered exactly once. */
  function retire(slot: Slot) {
    if (slot.dead) return;
    slot.dead = true;
    const index = slots.indexOf(slot);
    if (index >= 0) slots[index] = undefined;
    const tasks = [...slot.pending.values()];
    slot.pending.clear();
    for (const task of tasks) void inPlace(task.jws).then(task.resolve);
  }

  function spawn(): Slot {
    const worker = new Worker(WORKER_URL);
    worker.unref();
    const slot: Slot = { worker, pending: new Map(), dead: false, ready: false };
    worker.on('message', (reply: Reply | { ready: true }) => {
      if (!('id' in reply)) {
        slot.ready = true;
        return;
      }
      const task = slot.pending.get(reply.id);
      if (!task) return;
      slot.pending.delete(reply.id);
      if (slot.pending.size === 0) worker.unref();
      if (reply.results) {
        tally.inWorkers += reply.results.length;
        task.resolve(reply.results);
      } else void inPlace(task.jws).then(task.resolve);
    });
    worker.on('error', () => {
      if (!slot.ready) broken = true;
      retire(slot);
    });
    worker.on('exit', () => retire(slot));
    return slot;
  }

  function slotAt(i: number): Slot {
    const existing = slots[i];
    if (existing && !existing.dead) return existing;
    const slot = spawn();
    slots[i] = slot;
    return slot;
  }

  function send(jws: readonly string[]): Promise<SignatureCheck[]> {
    // The least busy worker takes the part.
    let best = 0;
    for (let i = 1; i < threads; i++) {
      if ((slots[i]?.pending.size ?? 0) < (slots[best]?.pending.size ?? 0)) best = i;
    }
    const slot = slotAt(best);
    return new Promise((resolve) => {
      const id = nextId++;
      if (slot.pending.size === 0) slot.worker.ref();
      slot.pending.set(id, { jws, resolve });
      slot.worker.postMessage({ id, jws });
    });
  }

  return {
    async check(jws) {
      if (closed || broken || threads === 0 || jws.length < inlineBelow) return inPlace(jws);
      const parts = Math.min(threads, Math.ceil(jws.length / MIN_PER_WORKER));
      const per = Math.ceil(jws.length / parts);
      let answers: SignatureCheck[][];
      try {
        answers = await Promise.all(Array.from({ length: parts }, (_, k) => send(jws.slice(k * per, (k + 1) * per))));
      } catch {
        // A worker that cannot even be constructed: the records are checked here, not refused.
        broken = true;
        return inPlace(jws);
      }
      return answers.flat();
    },
    counts: () => ({ ...tally }),
    async close() {
      closed = true;
      const live = slots.filter((s): s is Slot => s !== undefined);
      slots.length = 0;
      // Terminating a worker answers its pending records in place (retire, on exit).
      await Promise.all(live.map((s) => s.worker.terminate()));
    },
  };
}
