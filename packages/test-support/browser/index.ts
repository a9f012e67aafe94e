// @consentkit/test-support/browser: what widget and admin browser tests share — the axe check
// every element passes first, and the fixtures that mount and clean up elements.
export { expectAccessible } from './expect-accessible.js';
export { cleanup, fixture, mount, nextFrame, settle, shadowText } from './fixture.js';
export { realClick } from './real-input.js';
export { stubStorageReads } from './storage-reads.js';
export { until } from './until.js';
