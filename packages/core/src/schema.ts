// @consentkit/core/schema — zod schemas and parsers. A separate entry so that browser bundles
// which only sign and send records do not carry zod.
export {
  describeIssues,
  ISO_DURATION,
  localizedTextSchema,
  parsePolicy,
  policySchema,
} from './policy-schema.js';
export { parseRecord, recordSchema } from './record-schema.js';
