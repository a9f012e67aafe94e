// Node's test runner exposes describe/it as imports; the browser runner (mocha) as globals.
// Test files that run in both places use the globals, so we install node:test's here.
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';

Object.assign(globalThis, { describe, it, before, after, beforeEach, afterEach });
