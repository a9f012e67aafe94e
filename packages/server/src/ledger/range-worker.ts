// A range walker worker (range-walk.ts): reads its own ranges of entries, or slices of the subject
// histories, over its own PostgreSQL connection and answers each with what the walk's thread needs
// of it (no rows cross threads).
import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import { copyRows } from './copy-rows.js';
import { checkHistorySlice, type HistoryRow, type HistorySliceTask, ROWS_SQL } from './history-slice.js';
import { checkRange, rangeSelect } from './range-check.js';
import type { WorkerTask } from './range-walk.js';

const { databaseUrl } = workerData as { databaseUrl: string };
const client = new pg.Client({ connectionString: databaseUrl });
// No JIT on this connection: the planner costs a page of the histories (a LIMIT'd lateral join)
// far above what it reads, past jit_above_cost, and compiling its expressions took ≈ 13 ms of a
// ≈ 70 ms page of 2,500 people, every page (measured at 1,000,000 entries). The ranges' plain
// index scans stay under it anyway. A SET, not the connection's `options`, which would replace any
// in the URL.
const connected = client.connect().then(() => client.query('SET jit = off'));
// One range at a time: a second waits for the first (the pool sends a worker one at a time anyway).
let queue: Promise<void> = Promise.resolve();

parentPort?.on('message', (message: WorkerTask & { id: number }) => {
  const { id, ...task } = message;
  queue = queue.then(async () => {
    try {
      await connected;
      const outcome =
        task.kind === 'histories'
          ? await checkHistorySlice(historySlice(task), async (after, pageSize, upTo, through) => {
              return (await client.query<HistoryRow>(ROWS_SQL, [after, pageSize, upTo, through])).rows;
            })
          : // The range's rows as bytes (binary COPY), checked as they arrive.
            await checkRange(task, (after, upTo, each) => copyRows(client, rangeSelect(after, upTo), each));
      parentPort?.postMessage({ id, outcome });
    } catch (error) {
      parentPort?.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
    }
  });
});
/** The slice as the walk's thread made it (its outcome carries it back). */
function historySlice(task: HistorySliceTask & { kind?: string }): HistorySliceTask {
  const { kind: _, ...slice } = task;
  return slice;
}
parentPort?.on('close', () => void client.end().catch(() => {}));
