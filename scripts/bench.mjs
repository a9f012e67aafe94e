// `pnpm bench`: benchmarks against the product's performance targets. The runner is bench/run.mjs; it runs under tsx
// with the `@consentkit/source` condition so the packages' TypeScript sources load unbuilt, the
// way the Node tests load them. Flags: --smoke, --only <names>, --out <dir>, --list.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--conditions=@consentkit/source', resolve(root, 'bench/run.mjs'), ...process.argv.slice(2)],
  { stdio: 'inherit', cwd: root },
);
// Ctrl-C reaches the child through the process group; SIGTERM from a supervisor is passed on.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(signal ? 130 : (code ?? 1)));
