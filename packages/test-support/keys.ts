/**
 * Test keys: the one way to make a signing key for a test, and the fixed ledger secrets the
 * server suites share. None of these may ever reach a build: scripts/secret-scan.test.mjs reads
 * this file and fails if a browser bundle carries any of them.
 */
import {
  base64urlEncode,
  createKeySigner,
  generateSigningKeyPair,
  type Signer,
  type SigningAlgorithm,
} from '@consentkit/core';

/** The admin API key the test ledgers accept. */
export const TEST_API_KEY = 'test-admin-key-0123456789abcdef';

/** The test ledgers' master key: 32 bytes of 0x07, so encrypted test data can be read back. */
export const TEST_MASTER_KEY = new Uint8Array(32).fill(7);

/** TEST_MASTER_KEY as `CONSENTKIT_MASTER_KEY` spells it (base64url). */
export const TEST_MASTER_KEY_B64 = base64urlEncode(TEST_MASTER_KEY);

/**
 * A fresh signer with a non-extractable key, as a browser's device signer or a site's key
 * signer holds it (core's real key signer). ES256 unless `algorithm` says otherwise.
 */
export async function createTestSigner(options: { algorithm?: SigningAlgorithm } = {}): Promise<Signer> {
  const pair = await generateSigningKeyPair({ algorithm: options.algorithm ?? 'ES256' });
  return createKeySigner({ privateKey: pair.privateKey, publicJwk: pair.publicJwk });
}
