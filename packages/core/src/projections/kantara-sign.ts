/** Signed Kantara receipts (R7 [profile]): a compact JWS over the receipt's RFC 8785 bytes. */
import { canonicalize, type JsonValue, parseJson } from '../canonical-json.js';
import { utf8Decode } from '../encoding.js';
import { ConsentError } from '../errors.js';
import { type JwsHeader, type Signer, signJws, type VerifyJwsOptions, verifyJws } from '../jws.js';
import type { KantaraReceipt } from './kantara-receipt.js';
import { parseKantaraReceipt } from './kantara-validate.js';

/** [profile] The JWS `typ` of a signed Kantara receipt. */
export const KANTARA_RECEIPT_JWS_TYPE = 'kantara-receipt+jws';

/**
 * Signs a receipt as a compact JWS over its RFC 8785 bytes (R7 [profile]): ES256 or EdDSA, never
 * HS256, because a shared secret proves nothing to the person holding the receipt. The payload is
 * the receipt itself, not a JWT wrapper, so any JOSE library verifies it and reads plain Kantara JSON.
 */
export async function signKantaraReceipt(options: { receipt: KantaraReceipt; signer: Signer }): Promise<string> {
  const checked = parseKantaraReceipt(options.receipt);
  return signJws({
    payload: canonicalize(checked as unknown as JsonValue),
    signer: options.signer,
    header: { typ: KANTARA_RECEIPT_JWS_TYPE, kid: options.signer.kid },
  });
}

/** Verifies a signed receipt and validates what it carries. */
export async function verifyKantaraReceipt(
  jws: string,
  options: VerifyJwsOptions,
): Promise<{ receipt: KantaraReceipt; header: JwsHeader }> {
  const verified = await verifyJws(jws, options);
  if (verified.header.typ !== KANTARA_RECEIPT_JWS_TYPE) {
    throw new ConsentError(
      'invalid-signature',
      `JWS typ is ${JSON.stringify(verified.header.typ)}, not "${KANTARA_RECEIPT_JWS_TYPE}"`,
      {
        hint: 'Sign receipts with signKantaraReceipt().',
      },
    );
  }
  return { receipt: parseKantaraReceipt(parseJson(utf8Decode(verified.payload))), header: verified.header };
}
