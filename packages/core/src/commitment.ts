/**
 * Salted commitments to personal identifiers (DESIGN.md "The record"): the signed record carries
 * only `commitment`; the opening (salt + normalised identifier) travels beside it and can be
 * deleted on erasure, after which the record no longer links to the person.
 */
import { base64urlDecode, base64urlEncode } from './encoding.js';
import { ConsentError } from './errors.js';
import { sha256Hex } from './hash.js';

export type IdentifierKind = 'email';
export type CommitmentOpening = { salt: string; identifier: string; kind: IdentifierKind };
export type Commitment = { commitment: string; opening: CommitmentOpening };

const SALT_BYTES = 16;

/**
 * The one spelling of an identifier that every party commits to.
 * Email: trim, Unicode NFC, then lowercase the whole address, local part included. RFC 5321 lets
 * a server treat the local part case-sensitively, but no mainstream provider does, and two
 * commitments for one person would split their history; dots and "+tags" are kept because their
 * meaning is provider-specific. Exactly one "@" with non-empty sides and no whitespace is required.
 */
export function normalizeIdentifier(text: string, kind: IdentifierKind = 'email'): string {
  if (kind !== 'email') throw new ConsentError('invalid-options', `unknown identifier kind ${String(kind)}`);
  if (typeof text !== 'string') throw new ConsentError('invalid-options', 'the identifier must be a string');
  const email = text.trim().normalize('NFC').toLowerCase();
  const at = email.indexOf('@');
  if (at <= 0 || at !== email.lastIndexOf('@') || at === email.length - 1 || /\s/.test(email)) {
    throw new ConsentError('invalid-options', 'the identifier is not an email address', {
      hint: 'Expected local@domain with no spaces.',
    });
  }
  return email;
}

function commit(salt: string, kind: IdentifierKind, identifier: string): Promise<string> {
  return sha256Hex(`${salt}:${kind}:${identifier}`);
}

/** Commits to `identifier` with a fresh 16-byte salt: `sha256Hex(salt ':' kind ':' identifier)`. */
export async function createCommitment(options: { identifier: string; kind?: IdentifierKind }): Promise<Commitment> {
  const kind = options.kind ?? 'email';
  const identifier = normalizeIdentifier(options.identifier, kind);
  const salt = base64urlEncode(crypto.getRandomValues(new Uint8Array(SALT_BYTES)));
  return { commitment: await commit(salt, kind, identifier), opening: { salt, identifier, kind } };
}

/** Whether `opening` opens `commitment`. Malformed openings are false, never a throw. */
export async function verifyCommitment(options: { commitment: string; opening: CommitmentOpening }): Promise<boolean> {
  const { commitment, opening } = options;
  try {
    if (base64urlDecode(opening.salt).length !== SALT_BYTES) return false;
    // Normalising again is idempotent, and lets a verifier pass the address as typed.
    const identifier = normalizeIdentifier(opening.identifier, opening.kind);
    return (await commit(opening.salt, opening.kind, identifier)) === commitment;
  } catch {
    return false;
  }
}
