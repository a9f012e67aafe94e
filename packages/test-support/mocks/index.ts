// @consentkit/test-support/mocks: msw handlers (fault injection and third-party HTTP only).
export type { Fault, MockLedger } from './ledger.mocks.js';
export { createMockLedger, MOCK_LEDGER_URL } from './ledger.mocks.js';
