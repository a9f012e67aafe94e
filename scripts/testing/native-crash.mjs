// A test process the runtime itself killed: V8 aborting on a failed CHECK ("# Fatal error in …"),
// glibc finding its heap corrupted ("corrupted size vs. prev_size"), a segfault. Our code is
// JavaScript only (no native addon), so such a death is the runtime's, not a test's: PGlite's
// WebAssembly meets one now and then (nodejs/node#64500). The runners run such a file (the log
// scan, such a leg) once more, and only then. Running out of JavaScript heap is not one of these:
// that can be ours.
const CRASH_SIGNALS = new Set(['SIGSEGV', 'SIGBUS', 'SIGILL', 'SIGTRAP', 'SIGABRT']);

/** True when a line of a process's stderr says it ran out of memory. */
export function saysOutOfMemory(text) {
  return /out of memory/i.test(text);
}

/** True when a process that died of `signal` crashed in the runtime (`outOfMemory`: its stderr said so). */
export function isNativeCrash(signal, outOfMemory) {
  return CRASH_SIGNALS.has(signal) && !outOfMemory;
}

/** True when the count reporter's `counts` failed only in files the runtime crashed (and in one at least). */
export function onlyNativeCrashes(counts) {
  const crashed = new Set(counts.nativeCrashes);
  return (
    crashed.size > 0 &&
    Object.entries(counts.byFile).every(([file, result]) => result.failed === 0 || crashed.has(file))
  );
}
