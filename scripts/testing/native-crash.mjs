// A test process the runtime itself killed: V8 aborting on a failed CHECK ("# Fatal error in …"),
// glibc finding its heap corrupted ("corrupted size vs. prev_size"), a segfault. Our code is
// JavaScript only (no native addon), so such a death is the runtime's, not a test's: PGlite's
// WebAssembly meets one now and then (nodejs/node#64500). The runners run such a file (the log
// scan, such a leg) once more, and only then. Running out of JavaScript heap is not one of these:
// that can be ours.
const CRASH_SIGNALS = new Set(['SIGSEGV', 'SIGBUS', 'SIGILL', 'SIGTRAP', 'SIGABRT']);

/** True when a process that died of `signal`, having written `stderr`, crashed in the runtime. */
export function isNativeCrash(signal, stderr) {
  return CRASH_SIGNALS.has(signal) && !/out of memory/i.test(stderr);
}
