// `pnpm start`: the ledger, the hosted pages and the examples on the embedded PGlite store
// (./.consentkit/data), with the AllStream policy. Runs the server's TypeScript sources through
// tsx; only the widget's drop-in bundle is built, on first run.
// Ctrl-C stops it cleanly (the store is closed before exit).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'packages/server/src/cli/consentkit.ts');
const examples = join(root, 'examples');
const widgetDist = join(root, 'packages/widget/dist');

// The examples and hosted pages load the widget's drop-in bundle: build it once if it is missing.
if (!existsSync(join(widgetDist, 'consentkit.js'))) {
  console.log('pnpm start: building the widget bundle (first run only)…');
  const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit', cwd: root });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

// The /admin dashboard's bundle, likewise (only it, when the widget bundle is already there).
if (!existsSync(join(root, 'packages/admin/dist/admin.js'))) {
  console.log('pnpm start: building the /admin dashboard (first run only)…');
  const build = spawnSync(process.execPath, [join(root, 'packages/admin/scripts/build.mjs')], {
    stdio: 'inherit',
    cwd: root,
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const hasPages =
  existsSync(examples) && readdirSync(examples, { recursive: true }).some((f) => String(f).endsWith('.html'));
const env = {
  ...process.env,
  CONSENTKIT_POLICY: process.env.CONSENTKIT_POLICY ?? join(root, 'examples/policies/allstream.json'),
  CONSENTKIT_DATA_DIR: process.env.CONSENTKIT_DATA_DIR ?? join(root, '.consentkit/data'),
  ...(hasPages && !process.env.CONSENTKIT_EXAMPLES_DIR ? { CONSENTKIT_EXAMPLES_DIR: examples } : {}),
  ...(existsSync(widgetDist) && !process.env.CONSENTKIT_ASSETS_DIR ? { CONSENTKIT_ASSETS_DIR: widgetDist } : {}),
};
if (!existsSync(env.CONSENTKIT_POLICY)) {
  console.error(`pnpm start: the policy ${env.CONSENTKIT_POLICY} is missing (set CONSENTKIT_POLICY).`);
  process.exit(1);
}

const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--conditions=@consentkit/source', cli, 'serve', ...process.argv.slice(2)],
  { stdio: 'inherit', cwd: root, env },
);
// Ctrl-C in a terminal reaches the child through the process group, so SIGINT is only noted here
// (forwarding it would be a second Ctrl-C, which the server treats as "exit now"); SIGTERM from a
// supervisor reaches only us, so it is passed on.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(signal ? 130 : (code ?? 1)));
