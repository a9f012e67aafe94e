// The CPU a measured run took, by whom: the bench server (its `/__bench/cpu`, every thread of its
// process), this process (the load generator), and the whole machine. Shared by the fixed-rate
// benches and ingest, so "CPU-bound at that ratio" is read the same way everywhere.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { postgresPid } from './postgres.mjs';

/** Taken just before and just after a measured run; `cpuOfRun` turns the pair into cores used. */
export async function cpuSnapshot(serverCpu) {
  const database = processTreeMs(await postgresPid());
  return { server: await serverCpu(), generator: process.cpuUsage(), machine: machineTimes(), database };
}

let ticksPerSecond;
/** A process's /proc stat fields after its name: [state, ppid, …]; null once it has gone. */
function statOf(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/**
 * CPU time (ms) of a process and its children now running, with the children it has already
 * reaped: for PostgreSQL, the postmaster and every backend. Null without a pid (no cluster of this
 * run's own) or outside Linux.
 */
function processTreeMs(pid) {
  if (!pid) return null;
  const root = statOf(pid);
  if (!root) return null;
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  // After the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14).
  let ticks = Number(root[11]) + Number(root[12]) + Number(root[13]) + Number(root[14]);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = statOf(entry);
    if (stat && Number(stat[1]) === pid) ticks += Number(stat[11]) + Number(stat[12]);
  }
  return (ticks / ticksPerSecond) * 1000;
}

/** Every core's busy and total time since boot (ms), summed: the machine's CPU, whoever used it. */
export function machineTimes() {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    const all = times.user + times.nice + times.sys + times.irq + times.idle;
    busy += all - times.idle;
    total += all;
  }
  return { busy, total };
}

/**
 * The CPU a measured run took, in cores (1 = one core busy for the whole run): the server process,
 * the load generator (this process: pacedLoad, or the ingest clients), and the whole machine (every process, other
 * people's included), with the server's CPU per answer.
 */
export function cpuOfRun(before, after, answered) {
  const wallMs = after.server.wallMs - before.server.wallMs;
  const serverMs = (after.server.user + after.server.system - before.server.user - before.server.system) / 1000;
  const gen = process.cpuUsage(before.generator);
  const cores = availableParallelism();
  const machineTotal = after.machine.total - before.machine.total;
  const lockMs =
    before.server.lockMs === undefined || after.server.lockMs === undefined
      ? null
      : after.server.lockMs - before.server.lockMs;
  // PostgreSQL's processes, for a server on PostgreSQL (PGlite's database is the server's own thread).
  const databaseMs =
    before.database === null || after.database === null || after.server.dbLoop !== undefined
      ? null
      : after.database - before.database;
  return {
    cores,
    wallMs,
    serverCores: serverMs / wallMs,
    databaseCores: databaseMs === null ? null : databaseMs / wallMs,
    // The ledger's CPU per answer, wherever it ran: the server's process and PostgreSQL's.
    ledgerMsPerAnswer: answered > 0 ? (serverMs + (databaseMs ?? 0)) / answered : null,
    generatorCores: (gen.user + gen.system) / 1000 / wallMs,
    machineCores: machineTotal > 0 ? ((after.machine.busy - before.machine.busy) / machineTotal) * cores : 0,
    serverMsPerAnswer: answered > 0 ? serverMs / answered : null,
    serverLoopBusy: loopBusy(before.server.loop, after.server.loop),
    // PGlite runs on a thread of its own (the store's worker): busy all the run, statements queue.
    dbLoopBusy: loopBusy(before.server.dbLoop, after.server.dbLoop),
    // Appends are serial (one head lock): held all the run, they bound it whatever the CPU does.
    lockShare: lockMs === null || wallMs <= 0 ? null : lockMs / wallMs,
    lockMsPerAnswer: lockMs !== null && answered > 0 ? lockMs / answered : null,
  };
}

/** "Needs more cores" answers a run only when the whole machine was busy on (nearly) every core. */
export const cpuBound = (c) => c.machineCores >= c.cores * 0.9;

/**
 * The share of the run a thread (the server's main thread, or the embedded database's) was
 * running, not waiting for work: near 1, what it serves queues behind that one thread whatever
 * the other cores do. Null when the reading has no such thread (a walk with no server; PostgreSQL).
 */
function loopBusy(before, after) {
  if (!before || !after) return null;
  const active = after.active - before.active;
  const total = active + after.idle - before.idle;
  return total > 0 ? active / total : null;
}
