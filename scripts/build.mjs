// `pnpm build`: rollup bundles (rollup.config.mjs), declarations from tsc, and the server's
// Node build. Each step prints what it built; any failure stops the build.
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';

const step = (label, cmd, args) => {
  const started = Date.now();
  const result = spawnSync(cmd, args, { stdio: 'inherit' });
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
