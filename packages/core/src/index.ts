// @consentkit/core — public API. Explicit exports only, grouped by concept.

export type { ConsentErrorCode, ConsentErrorOptions, ConsentIssue, Result } from './errors.js';
// --- Errors -------------------------------------------------------------------------------
export {
  ConsentError,
  ConsentValidationError,
  DOCS_URL,
  formatErrorMessage,
  isConsentError,
  TransportError,
} from './errors.js';
