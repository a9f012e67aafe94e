// @consentkit/core/projections — the record as other standards spell it: Kantara Consent Receipt
// v1.1 (built, signed, validated), ISO/IEC TS 27560 records and receipts, and the W3C DPV terms
// they use. Export formats the ledger serves, not the storage format; a separate entry so that
// browser bundles and the client API stay small.
export type { DpvConsentStatus, DpvLegalBasis, DpvLegalBasisInput } from './projections/dpv.js';
export {
  DPV_INVALID_STATUSES,
  DPV_NAMESPACE,
  DPV_VALID_STATUSES,
  dpvLegalBasis,
  isValidForProcessing,
} from './projections/dpv.js';
export type {
  Iso27560Event,
  Iso27560EventType,
  Iso27560Header,
  Iso27560Input,
  Iso27560Party,
  Iso27560PartyType,
  Iso27560PiiInformation,
  Iso27560Processing,
  Iso27560Record,
} from './projections/iso-27560.js';
export { ISO_27560_CONFORMS_TO, ISO_27560_SCHEMA_VERSION, toIso27560Record } from './projections/iso-27560.js';
export type { Iso27560Receipt, Iso27560ReceiptInput } from './projections/iso-27560-receipt.js';
export { toIso27560Receipt } from './projections/iso-27560-receipt.js';
export { ISO_27560_MANDATORY, missingIso27560Fields } from './projections/iso-27560-validate.js';
export type {
  KantaraConsentType,
  KantaraPiiController,
  KantaraPurpose,
  KantaraPurposeExtension,
  KantaraReceipt,
  KantaraReceiptExtension,
  KantaraReceiptInput,
  KantaraService,
  LedgerReceiptInfo,
} from './projections/kantara-receipt.js';
export {
  formatKantaraCategory,
  KANTARA_CONSENT_TYPES,
  KANTARA_PII_CATEGORIES,
  KANTARA_PURPOSE_CATEGORIES,
  KANTARA_VERSION,
  principalIdOf,
  toKantaraReceipt,
  toUnixSeconds,
} from './projections/kantara-receipt.js';
export { KANTARA_RECEIPT_JWS_TYPE, signKantaraReceipt, verifyKantaraReceipt } from './projections/kantara-sign.js';
export type { KantaraCategory } from './projections/kantara-validate.js';
export {
  KANTARA_REQUIRED_KEYS,
  normalizeKantaraReceipt,
  parseKantaraCategory,
  parseKantaraReceipt,
  validateKantaraReceipt,
} from './projections/kantara-validate.js';
