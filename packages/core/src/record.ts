/**
 * The consent record: one event in a person's append-only history, canonicalised with RFC 8785
 * and signed as a compact JWS so any JOSE library can verify it (docs/decisions/0002).
 */
import { canonicalize, type JsonValue, parseJson } from './canonical-json.js';
import { utf8Decode } from './encoding.js';
import { ConsentError } from './errors.js';
import { digestOf, sha256Hex } from './hash.js';
import { isGdprJurisdiction } from './jurisdiction.js';
import { decodeJws, type Signer, signJws, verifyJws } from './jws.js';
import { hasPrivateJwkMembers, jwkThumbprint, type PublicJwk, type SigningAlgorithm, toPublicJwk } from './keys.js';
import {
  effectivePurpose,
  findPurpose,
  type LegalBasis,
  type Policy,
  type PolicyRef,
  type PurposeBasis,
  unknownPurposeError,
} from './policy.js';
import { policyRef } from './policy-ref.js';
import { uuidv7 } from './uuid.js';

export const RECORD_SCHEMA = 'consentkit/record@1';
export const RECORD_JWS_TYPE = 'consent-record+jws';

/** Who the record is about; never a personal identifier in the clear. */
export type RecordSubject =
  | { kind: 'commitment'; commitment: string } // salted commitment (hex) to e.g. an email
  | { kind: 'device' } // the signing device key (kid in the JWS header)
  | { kind: 'ref'; ref: string }; // an opaque id the ledger issued (unsubscribe token subject)

export type RecordMethod =
  | 'checkbox'
  | 'form-submit'
  | 'one-click-email'
  | 'preference-page'
  | 'gpc'
  | 'api'
  // An unsubscribe or spam complaint the mail provider reported (the ledger signs it).
  | 'email-provider'
  // The person confirmed a pending grant through the ledger's emailed link (the ledger signs it).
  | 'email-confirmation';

/** How the choice was made; `programmatic` and `none` are never an affirmative act (R16). */
export type Interaction = 'pointer' | 'keyboard' | 'programmatic' | 'none';

export type Decision = {
  purpose: string;
  /** For opt-out purposes `true` means "not opted out"; for express ones, "the person said yes". */
  granted: boolean;
  basis: PurposeBasis;
  legalBasis?: LegalBasis;
  /** The exact words the person saw for this choice. */
  wording?: { sha256: string; text?: string };
  /** The control was shown ticked (never valid for express). */
  preChecked?: boolean;
  /** This control's own interaction, when it differs from the record's (a form with several boxes). */
  interaction?: Interaction;
};

export type CollectionPoint = { url?: string; form?: string; element?: string; flow?: string };

export type RecordContext = {
  /** The sale or negotiation the contact details came from (soft opt-in, R29(a)). */
  saleRef?: string;
  /** RFC 3339 start of the existing business relationship (CASL implied consent, R35). */
  relationshipStart?: string;
  /** `contract` (purchase or contract: 2 years) or `inquiry` (6 months), R35. Default `contract`. */
  relationship?: 'contract' | 'inquiry';
};

export type ConsentRecord = {
  schema: typeof RECORD_SCHEMA;
  id: string;
  issuedAt: string;
  subject: RecordSubject;
  policy: PolicyRef;
  decisions: Decision[];
  method: RecordMethod;
  interaction?: Interaction;
  collectionPoint: CollectionPoint;
  locale: string;
  jurisdiction?: string;
  /** The GPC signal as seen (null = not available). */
  gpc: boolean | null;
  /** Record digest of the previous record signed by the same key. */
  prev: string | null;
  context?: RecordContext;
  /** Only in records the ledger signs: the id of the grant the person confirmed through a mailed link. */
  confirms?: string;
  /** Only in records the ledger signs: the id of the record a site's backend attested with its API key. */
  attests?: string;
  /** With `attests`: the backend says it verified the identifier (e.g. the person is logged in). */
  identifierVerified?: boolean;
};

/** What a record says, as the caller gives it: createRecord fills in schema, id and issuedAt. */
export type CreateRecordInput = Pick<
  ConsentRecord,
  | 'subject'
  | 'decisions'
  | 'method'
  | 'interaction'
  | 'collectionPoint'
  | 'locale'
  | 'jurisdiction'
  | 'context'
  | 'confirms'
  | 'attests'
  | 'identifierVerified'
> &
  Partial<Pick<ConsentRecord, 'gpc' | 'prev'>> & {
    /** The full policy (its digest is computed) or an existing reference. */
    policy: Policy | PolicyRef;
    /**
     * The full policy's digest (`policyDigest(policy)`) when the caller has it already: a client
     * signing many records under one policy hashes its canonical form once, not per record.
     */
    policyDigest?: string;
    /** Clock, for tests and replays (and a choice kept while the policy was unreachable). */
    now?: Date;
    /** A UUIDv7 assigned earlier: a choice kept before it could be signed keeps the id its form got. */
    id?: string;
  };

function isPolicy(value: Policy | PolicyRef): value is Policy {
  return 'purposes' in value;
}

function ruleViolation(message: string, hint: string, path: (string | number)[]): ConsentError {
  return new ConsentError('rule-violation', message, { hint, issues: [{ code: 'rule-violation', path, message }] });
}

/** The decision's interaction, falling back to the record's. */
export function decisionInteraction(
  record: Pick<ConsentRecord, 'interaction'>,
  decision: Pick<Decision, 'interaction'>,
): Interaction | undefined {
  return decision.interaction ?? record.interaction;
}

/**
 * Builds a record: fills id (UUIDv7), issuedAt, schema and the policy reference, and refuses the
 * records the law says cannot exist: an express grant from a pre-ticked box or from script
 * (R16, R21, R23, B1, B3), and in GDPR jurisdictions an opt-out or pre-ticked choice claiming
 * consent (R37) or a soft opt-in without the sale it rests on (R29, B4).
 */
export async function createRecord(input: CreateRecordInput): Promise<ConsentRecord> {
  const now = input.now ?? new Date();
  const gdpr = input.jurisdiction !== undefined && isGdprJurisdiction(input.jurisdiction);
  const policy = isPolicy(input.policy) ? input.policy : undefined;
  const seen = new Set<string>();

  const decisions = input.decisions.map((given, i): Decision => {
    const path = ['decisions', i];
    let decision: Decision = { ...given };
    if (seen.has(decision.purpose)) {
      throw ruleViolation(
        `purpose "${decision.purpose}" appears twice in one record`,
        'Record one decision per purpose (R20, R24).',
        [...path, 'purpose'],
      );
    }
    seen.add(decision.purpose);
    if (policy) {
      const purpose = findPurpose(policy, decision.purpose);
      if (!purpose) {
        throw unknownPurposeError(policy, decision.purpose);
      }
      // Reports must never guess the legal basis later (R37): take it from the policy now.
      const effective = effectivePurpose(purpose, input.jurisdiction ?? policy.jurisdiction);
      if (decision.legalBasis === undefined && effective.basis === decision.basis) {
        decision = { ...decision, legalBasis: effective.legalBasis };
      }
    }
    const interaction = decisionInteraction(input, decision);
    if (decision.basis === 'express' && decision.granted) {
      if (decision.preChecked) {
        throw ruleViolation(
          `express consent for "${decision.purpose}" cannot come from a pre-ticked box`,
          'Render express controls unticked and record the person’s own tick (R16, R21, R23).',
          [...path, 'preChecked'],
        );
      }
      if (interaction === 'programmatic' || interaction === 'none') {
        throw ruleViolation(
          `express consent for "${decision.purpose}" needs an affirmative act, not "${interaction}" interaction`,
          'Only a pointer or keyboard action by the person grants express consent (R16, B3).',
          [...path, 'interaction'],
        );
      }
    }
    // Only grants are refused: a refusal or opt-out must always be recordable.
    if (
      gdpr &&
      decision.granted &&
      decision.legalBasis === 'consent' &&
      (decision.basis !== 'express' || decision.preChecked === true)
    ) {
      throw ruleViolation(
        `in ${input.jurisdiction} a ${decision.preChecked ? 'pre-ticked' : decision.basis} choice for "${decision.purpose}" is not consent`,
        'Under GDPR use an unticked express box, or record a non-consent legal basis such as "legitimate-interest" or "soft-opt-in" (R21, R23, R37).',
        [...path, 'legalBasis'],
      );
    }
    if (gdpr && decision.granted && decision.legalBasis === 'soft-opt-in' && !input.context?.saleRef) {
      throw ruleViolation(
        `soft opt-in for "${decision.purpose}" needs the sale or negotiation it comes from`,
        'Pass context.saleRef, or ask for express consent instead (R29, B4).',
        ['context', 'saleRef'],
      );
    }
    return decision;
  });

  const record: ConsentRecord = {
    schema: RECORD_SCHEMA,
    id: input.id ?? uuidv7(now.getTime()),
    issuedAt: now.toISOString(),
    subject: input.subject,
    policy: policy
      ? input.policyDigest === undefined
        ? await policyRef(policy)
        : { id: policy.id, version: policy.version, digest: input.policyDigest }
      : { ...(input.policy as PolicyRef) },
    decisions,
    method: input.method,
    collectionPoint: input.collectionPoint,
    locale: input.locale,
    gpc: input.gpc ?? null,
    prev: input.prev ?? null,
  };
  if (input.interaction !== undefined) record.interaction = input.interaction;
  if (input.jurisdiction !== undefined) record.jurisdiction = input.jurisdiction;
  if (input.context !== undefined) record.context = input.context;
  if (input.confirms !== undefined) record.confirms = input.confirms;
  if (input.attests !== undefined) record.attests = input.attests;
  if (input.identifierVerified !== undefined) record.identifierVerified = input.identifierVerified;
  return record;
}

/** The record digest: lowercase hex SHA-256 of its RFC 8785 form (what `prev` and receipts carry). */
export function recordDigest(record: ConsentRecord): Promise<string> {
  return digestOf(record as unknown as JsonValue);
}

export type SignedRecord = { jws: string; record: ConsentRecord; digest: string };

export type RecordJwsHeader = {
  alg: SigningAlgorithm;
  kid: string;
  jwk: PublicJwk;
  typ: typeof RECORD_JWS_TYPE;
} & Record<string, unknown>;

/**
 * Signs the record's RFC 8785 bytes; the public key travels in the header (`kid` = its thumbprint).
 * `sha256Hex` may be a synchronous SHA-256 of the platform (the server's node:crypto): WebCrypto's
 * digest is a thread-pool job per record, most of a one-click POST's hashing cost.
 */
export async function signRecord(options: {
  record: ConsentRecord;
  signer: Signer;
  sha256Hex?: (data: string) => string | Promise<string>;
}): Promise<SignedRecord> {
  const { record, signer } = options;
  const payload = canonicalize(record);
  const jws = await signJws({
    payload,
    signer,
    header: { typ: RECORD_JWS_TYPE, kid: signer.kid, jwk: signer.publicJwk },
  });
  return { jws, record, digest: await (options.sha256Hex ?? sha256Hex)(payload) };
}

export type VerifiedRecord = { record: ConsentRecord; header: RecordJwsHeader; digest: string };

/**
 * Verifies a signed record with the key in its own header, after checking that `kid` is that key's
 * RFC 7638 thumbprint (so a swapped key cannot keep an old kid). The payload must be the record's
 * RFC 8785 form, so the digest of the signed bytes is the record digest. Shape validation beyond
 * `schema` is the server's job (`parseRecord` in `@consentkit/core/schema`).
 */
export async function verifyRecord(
  jws: string,
  options: { algorithms?: SigningAlgorithm[] } = {},
): Promise<VerifiedRecord> {
  const decoded = decodeJws(jws);
  const header = decoded.header as Record<string, unknown>;
  if (header.typ !== RECORD_JWS_TYPE) {
    throw new ConsentError('invalid-record', `JWS typ is ${JSON.stringify(header.typ)}, not "${RECORD_JWS_TYPE}"`, {
      hint: 'Sign records with signRecord().',
    });
  }
  if (typeof header.jwk !== 'object' || header.jwk === null || typeof header.kid !== 'string') {
    throw new ConsentError('invalid-signature', 'record JWS header lacks its jwk or kid', {
      hint: 'Sign records with signRecord(), which embeds the public key and its thumbprint.',
    });
  }
  if (hasPrivateJwkMembers(header.jwk)) {
    throw new ConsentError('invalid-key', 'record JWS header jwk carries private key members', {
      hint: 'A jwk header holds the public key only (RFC 7515 §4.1.3); never send the private key.',
    });
  }
  const jwk = toPublicJwk(header.jwk as Record<string, unknown>);
  if ((await jwkThumbprint(jwk)) !== header.kid) {
    throw new ConsentError('invalid-signature', 'record JWS kid is not the RFC 7638 thumbprint of its jwk', {
      hint: 'The key in the header was replaced or the kid is wrong; re-sign with signRecord().',
    });
  }
  const verified = await verifyJws(jws, { key: jwk, algorithms: options.algorithms ?? ['ES256', 'EdDSA'] });
  const text = utf8Decode(verified.payload);
  const value = parseJson(text);
  if (canonicalize(value) !== text) {
    throw new ConsentError('invalid-record', 'record payload is not in RFC 8785 canonical form', {
      hint: 'Sign canonicalize(record), as signRecord() does, so digests are stable.',
    });
  }
  const record = value as unknown as ConsentRecord;
  if (typeof value !== 'object' || value === null || record.schema !== RECORD_SCHEMA) {
    throw new ConsentError('invalid-record', `record schema is not "${RECORD_SCHEMA}"`, {
      hint: 'Upgrade the client or check that this is a ConsentKit record.',
    });
  }
  return { record, header: verified.header as RecordJwsHeader, digest: await sha256Hex(verified.payload) };
}
