// Order statistics over latency samples. Percentiles use the nearest-rank method on a sorted
// copy: with 10,000 samples p99 is a real observed latency, not an interpolation.

/** @param {ArrayLike<number>} values @param {number} p 0..100 */
export function percentile(values, p) {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export const median = (values) => percentile(values, 50);

/** p50/p90/p99/max/mean of a sample, rounded for reporting. */
export function summarize(values) {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const at = (p) => (n === 0 ? Number.NaN : sorted[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))]);
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    n,
    p50: at(50),
    p90: at(90),
    p99: at(99),
    max: n ? sorted[n - 1] : Number.NaN,
    mean: n ? sum / n : Number.NaN,
  };
}

/** Rounds for display without hiding small values (3 significant digits). */
export function round(value, digits = 3) {
  if (!Number.isFinite(value)) return value;
  if (value === 0) return 0;
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const factor = 10 ** Math.max(0, digits - 1 - magnitude);
  return Math.round(value * factor) / factor;
}
