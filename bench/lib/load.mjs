// A small open-loop, fixed-rate HTTP load generator over keep-alive connections (node:http Agent).
// autocannon is the npm tool for this, but it is not installed here; this one does the part the
// benchmarks need. Open loop: request i is due at start + i/rate whatever happened to earlier
// ones, and its latency is measured from when it was DUE, not when it was sent, so a stalled
// server shows up in the percentiles instead of slowing the generator down (no coordinated
// omission).
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { summarize } from './stats.mjs';

/**
 * @param {{ url: string, rate: number, durationMs: number, warmupMs?: number, connections?: number,
 *   request: (i: number) => { method?: string, path: string, headers?: Record<string,string>, body?: string } }} options
 */
export async function fixedRateLoad(options) {
  const { rate, durationMs, request } = options;
  const target = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections ?? 128 });
  const warmup = Math.round((rate * (options.warmupMs ?? 0)) / 1000);
  const measured = Math.round((rate * durationMs) / 1000);
  const total = warmup + measured;
  const latencies = new Float64Array(measured);
  const statuses = {};
  let errors = 0;
  let completed = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let unfinished = 0;
  let closed = false; // after the drain deadline, late answers are ignored
  const dueAt = new Float64Array(total);
  const settled = new Uint8Array(total);

  const send = (i, due) =>
    new Promise((resolve) => {
      const spec = request(i);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const req = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method: spec.method ?? 'GET',
          path: spec.path,
          headers: { ...(spec.body ? { 'content-length': Buffer.byteLength(spec.body) } : {}), ...spec.headers },
        },
        (res) => {
          res.resume(); // drain the body: keep-alive reuses the socket only once it is read
          res.on('end', () => {
            if (closed) return;
            settled[i] = 1;
            inFlight--;
            if (i >= warmup) {
              latencies[i - warmup] = performance.now() - due;
              statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
            }
            completed++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        if (closed) return resolve();
        settled[i] = 1;
        inFlight--;
        if (i >= warmup) {
          latencies[i - warmup] = performance.now() - due;
          errors++;
        }
        completed++;
        resolve();
      });
      if (spec.body) req.end(spec.body);
      else req.end();
    });

  const interval = 1000 / rate;
  const start = performance.now() + 20;
  const pending = [];
  let next = 0;
  while (next < total) {
    const now = performance.now();
    // Send everything that is due; a late timer sends a small burst rather than dropping load.
    while (next < total && start + next * interval <= now) {
      dueAt[next] = start + next * interval;
      pending.push(send(next, dueAt[next]));
      next++;
    }
    const wait = start + next * interval - performance.now();
    await sleep(Math.max(0, Math.min(wait, 5)));
  }
  // A server slower than the offered rate builds a queue; wait for it to drain, but not forever:
  // whatever is still unanswered at the deadline counts with the time it had waited so far
  // (so p99 is then a lower bound, and `unfinished` says so).
  const drainMs = options.drainMs ?? 8000;
  const drained = await Promise.race([Promise.all(pending).then(() => true), sleep(drainMs).then(() => false)]);
  const finishedAt = performance.now();
  const completedAtEnd = completed;
  if (!drained) {
    closed = true;
    for (let i = warmup; i < total; i++) {
      if (settled[i]) continue;
      latencies[i - warmup] = finishedAt - dueAt[i];
      unfinished++;
    }
  }
  agent.destroy();
  const ok = Object.entries(statuses)
    .filter(([code]) => Number(code) < 400)
    .reduce((sum, [, count]) => sum + count, 0);
  return {
    offeredRate: rate,
    requests: measured,
    // Everything the server answered (warm-up included) over the whole run: its throughput.
    achievedRate: completedAtEnd / ((finishedAt - start) / 1000),
    ok,
    unfinished,
    errors,
    statuses,
    maxInFlight,
    latencyMs: summarize(latencies),
    completed,
  };
}

/**
 * Closed-loop: `concurrency` workers each send their next request when the last one returns,
 * until `jobs` are done or `forMs` has passed. Returns the seconds taken and the jobs done.
 */
export async function closedLoop({ concurrency, jobs, run, forMs = Number.POSITIVE_INFINITY }) {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      if (performance.now() - started > forMs) return;
      const i = next++;
      if (i >= jobs) return;
      await run(i);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { seconds: (performance.now() - started) / 1000, done: Math.min(next, jobs) };
}
