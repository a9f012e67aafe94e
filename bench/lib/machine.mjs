// What the numbers were measured on: they mean nothing without the machine beside them.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, release, totalmem } from 'node:os';
import { findBrowser } from '../../scripts/testing/browsers.mjs';
import { findPostgresBin } from '../../scripts/testing/postgres.mjs';

function tryRun(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

export function machineInfo() {
  const cpuList = cpus();
  const chromium = findBrowser('chromium');
  const pgBin = findPostgresBin();
  let osName = `${platform()} ${release()}`;
  try {
    const pretty = readFileSync('/etc/os-release', 'utf8').match(/^PRETTY_NAME="?([^"\n]+)"?/m)?.[1];
    if (pretty) osName = `${pretty} (${release()})`;
  } catch {}
  return {
    cores: cpuList.length,
    cpuModel: cpuList[0]?.model ?? 'unknown',
    memoryBytes: totalmem(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: osName,
    arch: arch(),
    node: process.version,
    chromium: chromium ? (tryRun(chromium, ['--version']) ?? 'unknown') : 'not installed',
    postgres: pgBin ? (tryRun(`${pgBin}/postgres`, ['--version']) ?? 'unknown') : 'not installed',
    // The load when the run started: on a shared machine this says how noisy the figures are.
    loadAverageAtStart: loadavg().map((v) => Math.round(v * 100) / 100),
  };
}
