/**
 * @packageDocumentation
 * `@consentkit/sdk/node` — the Node-only pieces: a file-backed outbox (records survive a
 * restart) and a signer from a private key the server holds. Kept out of the browser entry so
 * browser bundles carry no `node:` import and no secret-handling code.
 */

export type { FileOutboxStoreOptions } from './outbox/file-store.js';
export { createFileOutboxStore } from './outbox/file-store.js';
export type { KeySignerOptions } from './signers/key-signer.js';
export { importKeySigner } from './signers/key-signer.js';
