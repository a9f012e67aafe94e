/**
 * @packageDocumentation
 * `@consentkit/sdk/node` — the Node-only pieces: a file-backed outbox (records survive a
 * restart), a signer from a private key the server holds, and the attestor (it holds an API key
 * of scope `attest`). Kept out of the browser entry so browser bundles carry no `node:` import
 * and no secret-handling code.
 */

export type { Attestation, AttestErrorCode, AttestOptions, Attestor, AttestorOptions } from './attest/attestor.js';
export { createAttestor } from './attest/attestor.js';
export type { FileOutboxStoreOptions } from './outbox/file-store.js';
export { createFileOutboxStore } from './outbox/file-store.js';
export type { KeySignerOptions } from './signers/key-signer.js';
export { importKeySigner } from './signers/key-signer.js';
