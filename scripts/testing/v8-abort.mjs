// What V8 prints when it aborts the process itself (a failed CHECK): "# Fatal error in …". PGlite's
// WebAssembly meets one such fault now and then (nodejs/node#64500); the test runners re-run a
// file, or the log scan a leg, once when its output holds this, and only then.
export const V8_ABORT = /^# Fatal error in /m;
