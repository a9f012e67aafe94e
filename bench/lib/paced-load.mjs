// Open-loop load at a fixed rate, evenly paced: request i is due at start + i / rate, whatever
// happened to the ones before it (wrk2's model). Its latency is measured from when it was due,
// not from when it went out, so a stalled server, a busy generator or a full connection pool all
// count against the answer instead of quietly delaying the next request (coordinated omission).
//
// The one fixed-rate generator of the benches (one-click, state query, inclusion proofs; their
// report is fixed-rate.mjs). Why not autocannon's `overallRate` (used before): autocannon 8 gives
// each connection rate / connections requests per second and sends them back to back as soon as
// the second starts, then waits for the next second, so 200 req/s over 50 connections arrive as one
// burst of 50 concurrent requests (four in a row each) at the top of every second; and it
// "corrects" each latency with an expected interval of ceil(1 / per-connection rate) = 1 ms, adding
// one synthetic sample for each millisecond of it. Both measure a burst of 50 at once, not a rate.
import http from 'node:http';
import { cpuOfRun, cpuSnapshot } from './cpu-of-run.mjs';

const percentile = (sorted, q) =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/**
 * `amount` (smoke runs) sends that many requests at the rate, with no warm-up, and waits up to 120 s
 * for every answer instead of running for `durationMs`: on a loaded machine a timed second can end
 * with nothing answered, which would fail the smoke for the machine's load rather than for the bench.
 * `serverCpu` (the bench server's `/__bench/cpu`) is read around the measured run, with this
 * process's CPU (the load generator) and the whole machine's: `cpu` then says whether the server
 * was CPU-bound during it, and what each answer cost it (fixed-rate.mjs's cpuReport).
 * @param {{ url: string, rate: number, durationMs: number, warmupMs?: number, connections?: number,
 *   amount?: number, timeoutMs?: number,
 *   request: (i: number) => { method?: string, path: string, headers?: Record<string, string>, body?: string },
 *   serverCpu?: () => Promise<{ user: number, system: number, wallMs: number }> }} options
 */
export async function pacedLoad(options) {
  const { rate, request } = options;
  const connections = options.connections ?? 50;
  const timeoutMs = options.timeoutMs ?? (options.amount ? 120_000 : 10_000);
  const target = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  let next = 0;

  const one = (spec) =>
    new Promise((resolve) => {
      const headers = { ...(spec.headers ?? {}) };
      // A declared length, not a chunked body: the server's body limit judges it without reading.
      if (spec.body !== undefined) headers['content-length'] = String(Buffer.byteLength(spec.body));
      const req = http.request(
        {
          host: target.hostname,
          port: target.port,
          method: spec.method ?? 'GET',
          path: spec.path,
          headers,
          agent,
          timeout: timeoutMs,
        },
        (res) => {
          res.on('data', () => {});
          res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
          res.on('error', () => resolve({ error: 'response' }));
        },
      );
      req.on('timeout', () => {
        req.destroy();
        resolve({ error: 'timeout' });
      });
      req.on('error', () => resolve({ error: 'connection' }));
      req.end(spec.body);
    });

  const run = async (total) => {
    const interval = 1000 / rate;
    const results = [];
    const start = performance.now() + 5;
    let sent = 0;
    const inFlight = new Set();
    while (sent < total) {
      const now = performance.now();
      // Every request due by now goes out now; each is timed from when it was due.
      while (sent < total && start + sent * interval <= now) {
        const due = start + sent * interval;
        const p = one(request(next++)).then((r) => {
          results.push({ due, latency: performance.now() - due, late: now - due, ...r });
          inFlight.delete(p);
        });
        inFlight.add(p);
        sent++;
      }
      const wait = start + sent * interval - performance.now();
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.floor(wait))));
    }
    await Promise.all(inFlight);
    return { results, seconds: (performance.now() - start) / 1000 };
  };

  try {
    const count = (ms) => Math.round((ms / 1000) * rate);
    if (options.warmupMs && !options.amount) await run(count(options.warmupMs));
    const before = options.serverCpu && (await cpuSnapshot(options.serverCpu));
    const { results, seconds } = await run(options.amount ?? count(options.durationMs));
    const after = options.serverCpu && (await cpuSnapshot(options.serverCpu));
    const statuses = {};
    let errors = 0;
    let timeouts = 0;
    for (const r of results) {
      if (r.error) {
        errors++;
        if (r.error === 'timeout') timeouts++;
      } else statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    }
    const answered = Object.values(statuses).reduce((a, b) => a + b, 0);
    const ok = Object.entries(statuses)
      .filter(([code]) => Number(code) < 400)
      .reduce((sum, [, count]) => sum + count, 0);
    const latencies = results
      .filter((r) => !r.error)
      .map((r) => r.latency)
      .sort((a, b) => a - b);
    const late = results.map((r) => r.late).sort((a, b) => a - b);
    const fromSend = results
      .filter((r) => !r.error)
      .map((r) => r.latency - r.late)
      .sort((a, b) => a - b);
    return {
      generator: 'paced open loop (bench/lib/paced-load.mjs)',
      offeredRate: rate,
      requests: answered,
      achievedRate: answered / seconds,
      ok,
      errors,
      timeouts,
      statuses,
      connections,
      latencyMs: {
        p50: percentile(latencies, 0.5),
        p90: percentile(latencies, 0.9),
        p99: percentile(latencies, 0.99),
        max: latencies.at(-1) ?? Number.NaN,
      },
      // How late the generator itself sent requests (its timer and event loop), included above.
      sendLateMs: { p50: percentile(late, 0.5), p99: percentile(late, 0.99), max: late.at(-1) ?? Number.NaN },
      // The same answers timed from when each request went out: the server and the network only.
      fromSendMs: {
        p50: percentile(fromSend, 0.5),
        p99: percentile(fromSend, 0.99),
        max: fromSend.at(-1) ?? Number.NaN,
      },
      samples: results.map((r) => [r.due, r.latency]),
      ...(before && after ? { cpu: cpuOfRun(before, after, answered) } : {}),
    };
  } finally {
    agent.destroy();
  }
}
