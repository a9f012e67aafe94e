// `pnpm build`: rollup bundles (rollup.config.mjs), declarations from tsc, the server's Node
// build, and the framework examples with their own tooling (after the packages: Angular and
// Next.js consume the built widget; `--no-examples` leaves them out). Each step prints what it
// built; any failure stops the build.
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';

const step = (label, cmd, args, env = process.env) => {
  const started = Date.now();
  const result = spawnSync(cmd, args, { stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error(`build: ${label} failed`);
    process.exit(result.status ?? 1);
  }
  console.log(`build: ${label} (${Date.now() - started} ms)`);
};

for (const pkg of ['core', 'sdk', 'widget', 'server']) rmSync(`packages/${pkg}/dist`, { recursive: true, force: true });
const tsc = 'node_modules/typescript/bin/tsc';
step('bundles', process.execPath, ['node_modules/rollup/dist/bin/rollup', '-c', 'rollup.config.mjs', '--silent']);
// Declarations from each package's public entries only (tsconfig.build.json lists them), so a
// test or fixture is never emitted: no exclude list to keep.
for (const pkg of ['core', 'sdk', 'widget']) {
  step(`${pkg} declarations`, process.execPath, [tsc, '-p', `packages/${pkg}/tsconfig.build.json`]);
}
// The server compiles from its entry points (src/index.ts, src/guard/index.ts and the CLI binary), so only the
// production files they reach land in dist; tests and their helpers live outside src/. The SQL
// migrations are copied beside the compiled migrate.js, which reads them from its own folder.
step('server', process.execPath, [tsc, '-p', 'packages/server/tsconfig.build.json']);
cpSync('packages/server/src/platform/store/migrations', 'packages/server/dist/platform/store/migrations', {
  recursive: true,
});
// The /admin dashboard: one minified ES module the server serves at /admin/admin.js.
step('admin dashboard', process.execPath, ['packages/admin/scripts/build.mjs']);
// The framework examples, each once per run (the end-to-end journeys of both browsers use these
// builds), and the single-page ones in development too (the frameworks' warnings are on only
// there). NODE_ENV is set for each: it decides which build Vite and Next make.
const examples = [
  ...['react', 'vue', 'svelte', 'angular', 'next'].map((name) => [name, 'build', 'production']),
  ...['react', 'vue', 'svelte', 'angular'].map((name) => [name, 'build:dev', 'development']),
];
// The container image (scripts/container/build.sh) serves the ledger and /admin only: it skips them.
for (const [name, script, mode] of process.argv.includes('--no-examples') ? [] : examples) {
  step(`examples/${name} ${script}`, 'pnpm', ['--silent', '--dir', `examples/${name}`, 'run', script], {
    ...process.env,
    NODE_ENV: mode,
    NEXT_TELEMETRY_DISABLED: '1',
  });
}
