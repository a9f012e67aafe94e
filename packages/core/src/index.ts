// @consentkit/core — public API. Explicit exports only, grouped by concept.
// zod schemas live in ./schema.ts so browser bundles need not carry zod.

// --- Errors -------------------------------------------------------------------------------
export {
  ConsentError,
  ConsentValidationError,
  DOCS_URL,
  formatErrorMessage,
  isConsentError,
  TransportError,
} from './errors.js';
export type { ConsentErrorCode, ConsentErrorOptions, ConsentIssue, Result } from './errors.js';

// --- Encoding, hashing, canonical JSON (crypto section) -------------------------------------

// --- Keys, JWS, commitments, chain, tokens, GPC (crypto section) -----------------------------

// --- Policy, records, rules (policy section) ------------------------------------------------
