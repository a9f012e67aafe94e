// The CPU a measured run took, by whom: the bench server (its `/__bench/cpu`, every thread of its
// process), this process (the load generator), and the whole machine. Shared by the fixed-rate
// benches and ingest, so "CPU-bound at that ratio" is read the same way everywhere.
import { availableParallelism, cpus } from 'node:os';

/** Taken just before and just after a measured run; `cpuOfRun` turns the pair into cores used. */
export async function cpuSnapshot(serverCpu) {
  return { server: await serverCpu(), generator: process.cpuUsage(), machine: machineTimes() };
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
  return {
    cores,
    wallMs,
    serverCores: serverMs / wallMs,
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
