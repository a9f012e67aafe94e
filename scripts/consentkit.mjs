// `pnpm consentkit …` from the repo root: the server package's CLI, run from its TypeScript
// sources through tsx (no build needed). Exit code and signals pass straight through.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const cli = resolve(root, 'packages/server/src/cli/consentkit.ts');
const child = spawn(
  process.execPath,
  // tsx resolved from this repo, so the command also runs from a folder outside it (paths stay the caller's).
  ['--import', import.meta.resolve('tsx'), '--conditions=@consentkit/source', cli, ...process.argv.slice(2)],
  { stdio: 'inherit', cwd: process.env.INIT_CWD ?? process.cwd() },
);
// Ctrl-C in a terminal reaches the child through the process group, so SIGINT is only noted here
// (forwarding it would be a second Ctrl-C, which the server treats as "exit now"); SIGTERM from a
// supervisor reaches only us, so it is passed on.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(signal ? 130 : (code ?? 1)));
