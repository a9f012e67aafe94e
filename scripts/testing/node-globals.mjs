// Node's test runner exposes describe/it as imports; the browser runner (mocha) as globals.
// Test files that run in both places use the globals, so we install node:test's here.
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';

Object.assign(globalThis, { describe, it, before, after, beforeEach, afterEach });

// node:test turns a late rejection or exception into a one-line diagnostic without its stack.
// Printed here, the stack reaches the file's stderr, which the count reporter keeps for the
// summary of a file that failed as a whole.
const printStack = (kind) => (error) => {
  process.stderr.write(`[${kind}] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
};
process.on('unhandledRejection', printStack('unhandled rejection'));
process.on('uncaughtExceptionMonitor', printStack('uncaught exception'));
