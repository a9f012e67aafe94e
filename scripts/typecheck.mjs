// Type-checks every package (and the examples that have a tsconfig) with its own tsconfig.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const projects = [
  ...['core', 'sdk', 'widget', 'server', 'admin', 'test-support'].map((p) => `packages/${p}`),
  ...(existsSync('examples') ? readdirSync('examples').map((e) => `examples/${e}`) : []),
].filter((dir) => existsSync(join(dir, 'tsconfig.json')));
let failed = false;
for (const project of projects) {
  const result = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', project, '--noEmit'], {
    stdio: 'inherit',
  });
  if (result.status !== 0) failed = true;
  else console.log(`typecheck ${project}: ok`);
}
process.exit(failed ? 1 : 0);
