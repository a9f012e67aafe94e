// @consentkit/test-support/policy: the one test policy (AllStream, as a typed value that browser
// tests can use) and the one builder for variants of it.
export { allstreamPolicy } from './allstream-policy.js';
export type { PolicyOverrides, PurposeOverrides } from './test-policy.js';
export { testPolicy } from './test-policy.js';
