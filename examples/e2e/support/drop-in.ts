/**
 * The journeys load the real drop-in bundle (packages/widget/dist/consentkit.js), as a site
 * would. `pnpm build` makes it; when it is missing, or older than the sources it is built from,
 * it is built here once with the widget's own rollup configuration (rollup's JS API), so a test
 * never runs against a stale bundle. Two test files may ask at once: a lock folder makes the
 * second wait for the first build instead of writing the same files concurrently.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { ROOT, WIDGET_DIST } from './ledger.js';

export const DROP_IN = join(WIDGET_DIST, 'consentkit.js');
const SOURCES = ['core', 'sdk', 'widget'].map((p) => join(ROOT, 'packages', p, 'src'));
const LOCK = join(ROOT, 'node_modules', '.cache', 'consentkit-e2e-drop-in.lock');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.includes('.test.')) continue;
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Why the bundle must be (re)built, or undefined when it is current. */
function staleReason(): string | undefined {
  if (!existsSync(DROP_IN)) return `${DROP_IN} is missing`;
  // CONSENTKIT_E2E_USE_BUILT=1 accepts whatever is built (e.g. while sources churn locally).
  if (process.env.CONSENTKIT_E2E_USE_BUILT === '1') return undefined;
  const built = statSync(DROP_IN).mtimeMs;
  const newest = Math.max(...SOURCES.map(newestSource));
  return newest > built ? 'its sources changed since it was built' : undefined;
}

type RollupModule = {
  rollup(options: Record<string, unknown>): Promise<{
    write(output: Record<string, unknown>): Promise<unknown>;
    close(): Promise<void>;
  }>;
};
type RollupConfigModule = { widgetDropIn: Record<string, unknown> & { output: Record<string, unknown> } };

async function build(reason: string): Promise<void> {
  console.log(`[e2e] building the drop-in bundle (${reason}); \`pnpm build\` beforehand skips this`);
  const started = Date.now();
  const { rollup } = (await import('rollup')) as RollupModule;
  const { widgetDropIn } = (await import(pathToFileURL(join(ROOT, 'rollup.config.mjs')).href)) as RollupConfigModule;
  const bundle = await rollup({ ...widgetDropIn, onwarn: () => {} });
  try {
    await bundle.write(widgetDropIn.output);
  } finally {
    await bundle.close();
  }
  console.log(`[e2e] drop-in built in ${Date.now() - started} ms`);
}

/** Makes sure an up-to-date drop-in exists; throws with a clear message when it cannot. */
export async function ensureDropIn(): Promise<void> {
  if (!staleReason()) return;
  mkdirSync(join(LOCK, '..'), { recursive: true });
  for (let waited = 0; ; waited += 500) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // Another test file is building; a lock older than 5 minutes is left over from a crash.
      const lockAge = Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (waited > 300_000 || lockAge > 300_000) {
        rmSync(LOCK, { recursive: true, force: true });
      }
      await sleep(500);
    }
  }
  try {
    const reason = staleReason();
    if (reason) await build(reason);
  } catch (error) {
    throw new Error(
      `[e2e] the drop-in bundle could not be built (${error instanceof Error ? error.message : String(error)}). ` +
        'Run `pnpm build` and look at its output.',
    );
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
  if (!existsSync(DROP_IN)) throw new Error(`[e2e] ${DROP_IN} is still missing after the build`);
}
