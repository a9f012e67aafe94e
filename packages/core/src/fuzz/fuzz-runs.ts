/**
 * How many generated cases each fuzz property runs. CI-sized by default; the soak run
 * (`node scripts/test-soak.mjs`) raises it through `CONSENTKIT_FUZZ_RUNS` in Node. Browsers have
 * no environment, so there a page can set `globalThis.CONSENTKIT_FUZZ_RUNS` before the tests load.
 * Not a test file itself (no `.test.ts`), so no runner picks it up.
 */

/** Browsers run each suite twice (Chromium and Firefox) under a 20 s per-test timeout: keep it small. */
const BROWSER_DEFAULT = 300;
const NODE_DEFAULT = 1_000;

type MaybeNodeGlobal = {
  process?: { env?: Record<string, string | undefined> };
  CONSENTKIT_FUZZ_RUNS?: unknown;
};

function positiveInteger(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** The number of cases per property: the global (browser), else the env var (Node), else the default. */
export function fuzzRuns(): number {
  // globalThis lookups instead of a bare `process`: core is typed without Node and runs in browsers.
  const g = globalThis as MaybeNodeGlobal;
  const fromGlobal = positiveInteger(g.CONSENTKIT_FUZZ_RUNS);
  if (fromGlobal !== undefined) return fromGlobal;
  if (typeof g.process !== 'undefined' && g.process.env !== undefined) {
    return positiveInteger(g.process.env.CONSENTKIT_FUZZ_RUNS) ?? NODE_DEFAULT;
  }
  return BROWSER_DEFAULT;
}
