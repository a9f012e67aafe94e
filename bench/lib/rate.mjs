// Throughput of an async operation: run it for a fixed time (after a short warm-up so the JIT
// and WebCrypto's key caches are warm) with `concurrency` calls in flight, count completions.
export async function measureRate(fn, { ms, concurrency = 1, warmupMs = Math.min(300, ms / 2) }) {
  const phase = async (duration) => {
    let count = 0;
    const end = performance.now() + duration;
    const worker = async () => {
      while (performance.now() < end) {
        await fn(count);
        count++;
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, worker));
    return { count, seconds: (performance.now() - started) / 1000 };
  };
  await phase(warmupMs);
  const { count, seconds } = await phase(ms);
  return count / seconds;
}
