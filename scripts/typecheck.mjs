// Type-checks every package (and the examples) with its own tsconfig. An example whose
// package.json has a `typecheck` script runs that instead (vue-tsc, svelte-check, ngc: checkers
// that read templates), and the widget's framework typings must be what custom-elements.json
// produces now.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const tsc = 'node_modules/typescript/bin/tsc';
const projects = [
  ...['core', 'sdk', 'widget', 'server', 'admin', 'test-support'].map((p) => `packages/${p}`),
  ...(existsSync('examples') ? readdirSync('examples').map((e) => `examples/${e}`) : []),
];
const ownScript = (dir) => {
  const manifest = join(dir, 'package.json');
  return existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')).scripts?.typecheck : undefined;
};

let failed = false;
const check = (label, cmd, args, options = {}) => {
  const result = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) failed = true;
  else console.log(`typecheck ${label}: ok`);
};

check('packages/widget framework typings', process.execPath, [
  'packages/widget/scripts/framework-types.mjs',
  '--check',
]);

// The Angular example consumes the widget as installed (its built declarations): its compiler is
// pinned to the TypeScript its release supports, which is not the repository's.
const needsDeclarations = projects.some((dir) => dir === 'examples/angular' && existsSync(dir));
if (needsDeclarations && !existsSync('packages/widget/dist/types/index.d.ts')) {
  for (const pkg of ['core', 'sdk', 'widget']) {
    const built = spawnSync(process.execPath, [tsc, '-p', `packages/${pkg}/tsconfig.build.json`], { stdio: 'inherit' });
    if (built.status !== 0) failed = true;
  }
}

for (const dir of projects) {
  if (ownScript(dir)) check(dir, 'pnpm', ['--silent', 'run', 'typecheck'], { cwd: dir });
  else if (existsSync(join(dir, 'tsconfig.json'))) check(dir, process.execPath, [tsc, '-p', dir, '--noEmit']);
}
process.exit(failed ? 1 : 0);
