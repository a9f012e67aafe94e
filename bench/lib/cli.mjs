// Runs `consentkit verify` as `pnpm consentkit verify` does (the server package's CLI entry from
// its sources through tsx; verify-child.mjs adds progress lines), against a PostgreSQL ledger, and
// watches its memory: VmHWM in /proc is the kernel's own peak-RSS mark for the process, read every
// 100 ms until it exits, with its CPU (cpuSamples). A walk longer than `capMs` is stopped; its progress still says how fast
// it went and how memory grew.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { machineTimes } from './cpu-of-run.mjs';
import { POLICY_FILE, ROOT } from './paths.mjs';

const MASTER_KEY_B64 = Buffer.from(new Uint8Array(32).fill(7)).toString('base64url');

/** utime + stime of a process (`/proc/<pid>/stat`) or one of its threads (`/proc/<pid>/task/<tid>/stat`), in ms. */
function cpuMs(statPath) {
  try {
    const stat = readFileSync(statPath, 'utf8');
    // Fields after the command (which may hold spaces) start at the state, field 3: utime is 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

// USER_HZ: the unit of /proc's CPU times, 100 on every Linux the bench runs on.
const CLOCK_TICKS = 100;

function statusKB(pid, field) {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

export async function runVerifyCli({ databaseUrl, capMs, args = [] }) {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@consentkit/source', '--expose-gc', join(ROOT, 'bench/lib/verify-child.mjs')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        CONSENTKIT_MASTER_KEY: MASTER_KEY_B64,
        CONSENTKIT_POLICY: POLICY_FILE,
        VERIFY_ARGS: JSON.stringify(args),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  const progress = [];
  let partial = '';
  child.stdout.on('data', (c) => {
    partial += c;
    const lines = partial.split('\n');
    partial = lines.pop();
    for (const line of lines) {
      if (line.startsWith('PROGRESS ')) {
        const [after, ms, rss, heap, retained] = line.slice(9).split(' ').map(Number);
        progress.push({
          after,
          ms,
          rssMB: rss / 2 ** 20,
          heapMB: heap / 2 ** 20,
          ...(retained >= 0 ? { retainedMB: retained / 2 ** 20 } : {}),
        });
      } else stdout += `${line}\n`;
    }
  });
  child.stderr.on('data', (c) => {
    stderr = (stderr + c).slice(-4000);
  });
  let peakKB = 0;
  const samples = [];
  // Every 100 ms: ms since the spawn, the CPU (ms) of the whole process (every thread), of its main
  // thread, and the machine's busy and total core-ms; per part of the run (verify --timings) they
  // say whether the part had the cores, one thread, or neither busy.
  const cpuSamples = [];
  const poll = setInterval(() => {
    const hwm = statusKB(child.pid, 'VmHWM');
    const rss = statusKB(child.pid, 'VmRSS');
    if (hwm) peakKB = Math.max(peakKB, hwm);
    const ms = Math.round(performance.now() - started);
    if (rss) samples.push([ms, rss]);
    const proc = cpuMs(`/proc/${child.pid}/stat`);
    const main = cpuMs(`/proc/${child.pid}/task/${child.pid}/stat`);
    const machine = machineTimes();
    if (proc !== undefined && main !== undefined) cpuSamples.push([ms, proc, main, machine.busy, machine.total]);
  }, 100);
  let timedOut = false;
  const cap = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, capMs);
  const code = await new Promise((resolve) => child.once('exit', (c) => resolve(c)));
  clearInterval(poll);
  clearTimeout(cap);
  return {
    code,
    timedOut,
    stdout: stdout.trim(),
    stderr: stderr.trim(),
    seconds: (performance.now() - started) / 1000,
    peakRssMB: peakKB / 1024,
    rssSamples: samples,
    cpuSamples,
    progress,
  };
}
