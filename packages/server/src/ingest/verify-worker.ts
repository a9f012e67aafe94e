// A verify pool worker (verify-pool.ts): runs checkSignedRecord, the same code ingest runs in
// place, on each batch of JWS it is sent, with its own key cache.
import { parentPort } from 'node:worker_threads';
import { createKeyCache } from './record-verifier.js';
import { checkSignedRecord } from './signature-check.js';

type Task = { readonly id: number; readonly jws: readonly string[] };

const keys = createKeyCache();
parentPort?.on('message', (task: Task) => {
  void Promise.all(task.jws.map((jws) => checkSignedRecord(jws, keys))).then(
    (results) => parentPort?.postMessage({ id: task.id, results }),
    (error: unknown) => parentPort?.postMessage({ id: task.id, error: String(error) }),
  );
});
parentPort?.postMessage({ ready: true });
