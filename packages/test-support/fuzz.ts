/**
 * How many generated cases each fuzz property runs. CI-sized by default; the soak run
 * (`node scripts/test-soak.mjs`) raises it through `CONSENTKIT_FUZZ_RUNS` in Node. Browsers have
 * no environment, so there a page can set `globalThis.CONSENTKIT_FUZZ_RUNS` before the tests load.
 */

export type FuzzDefaults = {
  /** Cases in Node when nothing is set (a property whose case is a real HTTP request + SQL wants fewer). */
  node?: number;
  /** Cases in a browser: each suite runs twice (Chromium and Firefox) under a 20 s per-test timeout. */
  browser?: number;
};

type MaybeNodeGlobal = {
  process?: { env?: Record<string, string | undefined> };
  CONSENTKIT_FUZZ_RUNS?: unknown;
};

function positiveInteger(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** The number of cases per property: the global (browser), else the env var (Node), else the default. */
export function fuzzRuns(defaults: FuzzDefaults = {}): number {
  // globalThis lookups instead of a bare `process`: the same code runs in browsers.
  const g = globalThis as MaybeNodeGlobal;
  const fromGlobal = positiveInteger(g.CONSENTKIT_FUZZ_RUNS);
  if (fromGlobal !== undefined) return fromGlobal;
  if (typeof g.process !== 'undefined' && g.process.env !== undefined) {
    return positiveInteger(g.process.env.CONSENTKIT_FUZZ_RUNS) ?? defaults.node ?? 1_000;
  }
  return defaults.browser ?? 300;
}
