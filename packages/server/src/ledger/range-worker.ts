// A range walker worker (range-walk.ts): reads its own ranges of entries over its own PostgreSQL
// connection and answers each with what the walk's thread needs of it (no rows cross threads).
import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import { copyRows } from './copy-rows.js';
import { checkRange, type RangeTask, rangeSelect } from './range-check.js';

const { databaseUrl } = workerData as { databaseUrl: string };
const client = new pg.Client({ connectionString: databaseUrl });
const connected = client.connect();
// One range at a time: a second waits for the first (the pool sends a worker one at a time anyway).
let queue: Promise<void> = Promise.resolve();

parentPort?.on('message', (task: RangeTask & { id: number }) => {
  queue = queue.then(async () => {
    try {
      await connected;
      // The range's rows as bytes (binary COPY), checked as they arrive.
      const outcome = await checkRange(task, (after, upTo, each) => copyRows(client, rangeSelect(after, upTo), each));
      parentPort?.postMessage({ id: task.id, outcome });
    } catch (error) {
      parentPort?.postMessage({ id: task.id, error: error instanceof Error ? error.message : String(error) });
    }
  });
});
parentPort?.on('close', () => void client.end().catch(() => {}));
