/**
 * The framework examples are built with their own tooling (Vite, the Angular CLI, `next build`).
 * `pnpm build` builds each once per run; a journey builds one here only when its output is
 * missing or older than its sources (the example's own, the shared helper, the widget, SDK and
 * core), so a test never runs against a stale build. Angular and Next.js consume the widget as
 * installed, from its built dist/, which `pnpm build` makes first.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT } from './ledger.js';

export type ExampleName = 'react' | 'vue' | 'svelte' | 'angular' | 'next';
/** `development`: the framework's development build, where its warnings are on (`build:dev`). */
export type BuildVariant = 'production' | 'development';

/** The file each build writes last (its freshness stands for the whole build). */
const OUTPUT: Record<BuildVariant, Partial<Record<ExampleName, string>>> = {
  production: {
    react: 'dist/main.js',
    vue: 'dist/index.html',
    svelte: 'dist/index.html',
    angular: 'dist/index.html',
    next: '.next/BUILD_ID',
  },
  development: {
    react: 'dist/dev/main.js',
    vue: 'dist-dev/index.html',
    svelte: 'dist-dev/index.html',
    angular: 'dist-dev/index.html',
  },
};
const SCRIPT: Record<BuildVariant, string> = { production: 'build', development: 'build:dev' };
/** Sources besides the example's own that its build reads. */
const SHARED = ['examples/shared', ...['core', 'sdk', 'widget'].map((p) => `packages/${p}/src`)];
// next-env.d.ts is written by `next build` and rewritten by `next dev`: counting it made the
// Next.js journey in one browser rebuild .next/ under the other browser's running `next start`
// (a chunk answered 500) after the first had run `next dev`.
const IGNORED = new Set(['node_modules', 'dist', 'dist-dev', '.next', '.angular', 'cache', 'next-env.d.ts']);

function newest(dir: string): number {
  let time = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (IGNORED.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) time = Math.max(time, newest(path));
    else if (!entry.name.includes('.test.')) time = Math.max(time, statSync(path).mtimeMs);
  }
  return time;
}

function outputOf(name: ExampleName, variant: BuildVariant): string {
  const output = OUTPUT[variant][name];
  if (!output) throw new Error(`[e2e] examples/${name} has no ${variant} build`);
  return output;
}

/** Why `name` must be (re)built, or undefined when its build is current. */
export function staleReason(name: ExampleName, variant: BuildVariant): string | undefined {
  const relative = outputOf(name, variant);
  const output = join(ROOT, 'examples', name, relative);
  if (!existsSync(output)) return `${relative} is missing`;
  if (process.env.CONSENTKIT_E2E_USE_BUILT === '1') return undefined;
  const sources = Math.max(newest(join(ROOT, 'examples', name)), ...SHARED.map((dir) => newest(join(ROOT, dir))));
  return sources > statSync(output).mtimeMs ? 'its sources changed since it was built' : undefined;
}

/**
 * Builds the example with its own `build` script when needed; throws with its output when that
 * fails. The Chromium and Firefox suites may ask at once: a lock folder makes the second wait
 * for the first build instead of writing the same files concurrently.
 */
export async function ensureExampleBuilt(name: ExampleName, variant: BuildVariant = 'production'): Promise<void> {
  if (!staleReason(name, variant)) return;
  const lock = join(ROOT, 'node_modules', '.cache', `consentkit-e2e-example-${name}-${variant}.lock`);
  mkdirSync(join(lock, '..'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than 10 minutes is left over from a crash.
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 600_000) rmSync(lock, { recursive: true, force: true });
      await sleep(500);
    }
  }
  try {
    build(name, variant);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function build(name: ExampleName, variant: BuildVariant): void {
  const reason = staleReason(name, variant);
  if (!reason) return;
  if ((name === 'angular' || name === 'next') && !existsSync(join(ROOT, 'packages/widget/dist/index.js'))) {
    throw new Error(`[e2e] the ${name} example consumes the built widget: run \`pnpm build\` first`);
  }
  const label = `examples/${name} (${variant})`;
  console.log(`[e2e] building ${label} (${reason}); \`pnpm build\` beforehand skips this`);
  const started = Date.now();
  const result = spawnSync('pnpm', ['--silent', 'run', SCRIPT[variant]], {
    cwd: join(ROOT, 'examples', name),
    encoding: 'utf8',
    // The test runner's NODE_ENV (test) would decide which build Vite and Next make: set it.
    env: { ...process.env, NODE_ENV: variant, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) {
    throw new Error(`[e2e] ${label} did not build:\n${result.stdout}\n${result.stderr}`);
  }
  console.log(`[e2e] ${label} built in ${Date.now() - started} ms`);
}
