// @consentkit/core/schema — zod schemas and parsers. A separate entry so that browser bundles
// which only sign and send records do not carry zod.
export {};
