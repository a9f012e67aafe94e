// @consentkit/core — public API. Explicit exports only, grouped by concept.
// zod schemas live in ./schema.ts so browser bundles need not carry zod.

export type { Assurance } from './assurance.js';
export { ASSURANCE_LEVELS, DEFAULT_REQUIRED_ASSURANCE, maxAssurance, meetsAssurance } from './assurance.js';
export type { AssuredRecord, HistoryItem, RuleHistoryItem, RuleItem, RuleRecord } from './assured-record.js';
export { isAssuredRecord, toAssuredRecord, toRuleItem } from './assured-record.js';
export type { JsonObject, JsonPrimitive, JsonValue } from './canonical-json.js';
export { canonicalize, parseJson } from './canonical-json.js';
export type { ChainCheckpoint, ChainEntry, ChainFailureReason, ChainVerification } from './chain.js';
export { entryHash, GENESIS_HASH, verifyChain } from './chain.js';
export type { Commitment, CommitmentOpening, IdentifierKind } from './commitment.js';
export { createCommitment, normalizeIdentifier, verifyCommitment } from './commitment.js';
export type { ConsentModeType } from './consent-mode-types.js';
export { CONSENT_MODE_TYPES } from './consent-mode-types.js';
export type { Duration, IntervalOptions } from './duration.js';
export { addDuration, formatMs, MAX_TIMER_MS, parseDuration, parseInterval } from './duration.js';
export type { Bytes } from './encoding.js';
// --- Encoding, hashing, canonical JSON (crypto section) -------------------------------------
export {
  base64urlDecode,
  base64urlEncode,
  bytesEqual,
  concatBytes,
  hexDecode,
  hexEncode,
  toBytes,
  utf8Decode,
  utf8Encode,
} from './encoding.js';
export type { ConsentErrorCode, ConsentErrorOptions, ConsentIssue, Result } from './errors.js';
// --- Errors -------------------------------------------------------------------------------
export {
  ConsentError,
  ConsentValidationError,
  DOCS_URL,
  formatErrorMessage,
  formatReason,
  isConsentError,
  MESSAGE_PREFIX,
} from './errors.js';
export { parseSecGpc } from './gpc.js';
export { digestOf, sha256, sha256Hex } from './hash.js';
export { isGdprJurisdiction } from './jurisdiction.js';
export type { DecodedJws, JwsHeader, Signer, VerificationKey, VerifiedJws, VerifyJwsOptions } from './jws.js';
export { createKeySigner, decodeJws, signJws, verifyJws } from './jws.js';
export type {
  EcPublicJwk,
  GenerateSigningKeyPairOptions,
  OkpPublicJwk,
  PrivateJwk,
  PublicJwk,
  SigningAlgorithm,
  SigningKeyPair,
} from './keys.js';
// --- Keys, JWS, commitments, chain, tokens, GPC (crypto section) -----------------------------
export {
  algorithmOfJwk,
  generateSigningKeyPair,
  hasPrivateJwkMembers,
  importPrivateJwk,
  importPublicJwk,
  jwkThumbprint,
  supportsEd25519,
  toPublicJwk,
} from './keys.js';
export type {
  Controller,
  DataCategory,
  EffectivePurpose,
  GpcCategory,
  JurisdictionOverride,
  LegalBasis,
  LocalizedText,
  Policy,
  PolicyPractices,
  PolicyPromises,
  PolicyRef,
  Purpose,
  PurposeBasis,
  Recipient,
  RecipientKind,
} from './policy.js';
// --- Policy, records, rules (policy section) ------------------------------------------------
export { effectivePurpose, findPurpose, localize, localizeWithLocale, unknownPurposeError } from './policy.js';
export { policyDigest, policyRef } from './policy-ref.js';
export { compareVersions } from './policy-version.js';
export { findRecipient, isSensitivePurpose, sharesWithThirdParties } from './purpose-traits.js';
export type {
  CollectionPoint,
  ConsentRecord,
  CreateRecordInput,
  Decision,
  Interaction,
  RecordContext,
  RecordJwsHeader,
  RecordMethod,
  RecordSubject,
  SignedRecord,
  VerifiedRecord,
} from './record.js';
export {
  createRecord,
  decisionInteraction,
  RECORD_JWS_TYPE,
  RECORD_SCHEMA,
  recordDigest,
  signRecord,
  verifyRecord,
} from './record.js';
export type { BackoffOptions } from './retry.js';
export { backoffCeiling, backoffDelay, parseRetryAfter } from './retry.js';
export type {
  ConsentState,
  EvaluateConsentInput,
  EvaluationContext,
  PurposeState,
  PurposeStatus,
  ReasonCode,
} from './rules.js';
export { evaluateConsent, isAffirmative, isPermitted, purposeTerms, requiredAssurance } from './rules.js';
export type { TransportErrorCode } from './transport-error.js';
export { TransportError } from './transport-error.js';
export type { TokenClaims, TokenCodec, TokenCodecOptions } from './unsubscribe-token.js';
export {
  createTokenCodec,
  DEFAULT_TOKEN_TTL_DAYS,
  MIN_TOKEN_TTL_DAYS,
} from './unsubscribe-token.js';
export { isUuid, uuidv7, uuidv7Time } from './uuid.js';
