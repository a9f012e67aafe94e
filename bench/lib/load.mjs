// Closed-loop load: a fixed number of workers, each sending its next request when the last one
// returns (fixed-rate load is paced-load.mjs's job).

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
