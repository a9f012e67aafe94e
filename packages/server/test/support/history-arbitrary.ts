import {
  base64urlEncode,
  type ConsentRecord,
  canonicalize,
  type Decision,
  type EvaluationContext,
  type Policy,
  type RecordMethod,
  utf8Encode,
} from '@consentkit/core';
import { allstreamPolicy, testPolicy } from '@consentkit/test-support/policy';
import fc from 'fast-check';

/** Cases of a differential test: at least 10,000 (CONSENTKIT_FUZZ_RUNS asks for more). */
export const DIFFERENTIAL_RUNS = Math.max(10_000, Number(process.env.CONSENTKIT_FUZZ_RUNS) || 0);

/**
 * The policies the rules' differential tests evaluate under: AllStream, and AllStream with every
 * purpose under GPC and a higher level for grants, so those branches run for each purpose.
 */
export const rulePolicies: readonly Policy[] = [
  allstreamPolicy,
  testPolicy({
    purposes: Object.fromEntries(
      allstreamPolicy.purposes.map((p) => [p.id, { gpc: 'sharing' as const, assurance: 'inbox' as const }]),
    ),
  }),
];

/**
 * Generated consent histories for the senders' differential tests: records as the ledger stores
 * them (decisions for the policy's purposes and one it lacks, every method and interaction, GPC,
 * other policy versions and ids, EBR context, records from the future), at every assurance level,
 * with confirmations and attestations that vouch for earlier records. Strings reach into the whole
 * of Unicode so that a decoder's UTF-8 handling is exercised too.
 */
// Every record method, checked against core's type: a method added there and missing here fails typecheck.
const METHOD_SET: Record<RecordMethod, true> = {
  checkbox: true,
  'form-submit': true,
  'one-click-email': true,
  'preference-page': true,
  gpc: true,
  api: true,
  'email-provider': true,
  'email-confirmation': true,
};
const METHODS = Object.keys(METHOD_SET) as RecordMethod[];
const INTERACTIONS = ['pointer', 'keyboard', 'programmatic', 'none'] as const;
const BASES = ['express', 'implied', 'opt-out'] as const;
const LEGAL = [
  'consent',
  'implied-consent',
  'contract',
  'soft-opt-in',
  'casl-implied-ebr',
  'legitimate-interest',
] as const;

const text = fc.string({ unit: 'binary', maxLength: 24 });
const hex64 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex'));
const time = fc
  .integer({ min: Date.parse('2018-01-01T00:00:00Z'), max: Date.parse('2032-01-01T00:00:00Z') })
  .map((ms) => new Date(ms).toISOString());

function decision(purposes: readonly string[]): fc.Arbitrary<Decision> {
  return fc.record(
    {
      purpose: fc.constantFrom(...purposes, 'retired-purpose'),
      granted: fc.boolean(),
      basis: fc.constantFrom(...BASES),
      legalBasis: fc.constantFrom(...LEGAL),
      wording: fc.record({ sha256: hex64, text }, { requiredKeys: ['sha256'] }),
      preChecked: fc.boolean(),
      interaction: fc.constantFrom(...INTERACTIONS),
    },
    { requiredKeys: ['purpose', 'granted', 'basis'] },
  );
}

/** One record about the person, with id `id` and, for a vouching entry, the id it vouches for. */
function record(policy: Policy, id: string, vouchesFor: string | undefined): fc.Arbitrary<ConsentRecord> {
  const purposes = policy.purposes.map((p) => p.id);
  return fc
    .record({
      issuedAt: time,
      subject: fc.oneof(
        fc.constant({ kind: 'device' as const }),
        fc.constant({ kind: 'ref' as const, ref: 'subject-1' }),
        hex64.map((commitment) => ({ kind: 'commitment' as const, commitment })),
      ),
      policyId: fc.constantFrom(policy.id, policy.id, 'another-policy'),
      policyVersion: fc.constantFrom('1.0', '1.1', '1.2', '2.0'),
      decisions: fc.array(decision(purposes), { minLength: 0, maxLength: 4 }),
      method: fc.constantFrom(...METHODS),
      interaction: fc.option(fc.constantFrom(...INTERACTIONS), { nil: undefined }),
      url: text,
      locale: fc.constantFrom('en', 'fr', 'de'),
      jurisdiction: fc.option(fc.constantFrom('CA', 'CA-QC', 'US-CA', 'DE', 'GB', 'FR'), { nil: undefined }),
      gpc: fc.constantFrom(true, false, null),
      context: fc.option(
        fc.record(
          {
            saleRef: text,
            relationshipStart: time,
            relationship: fc.constantFrom('contract' as const, 'inquiry' as const),
          },
          { requiredKeys: [] },
        ),
        { nil: undefined },
      ),
      vouch: fc.constantFrom('confirms' as const, 'attests' as const),
    })
    .map((r): ConsentRecord => {
      const out: ConsentRecord = {
        schema: 'consentkit/record@1',
        id,
        issuedAt: r.issuedAt,
        subject: r.subject,
        policy: { id: r.policyId, version: r.policyVersion, digest: '0'.repeat(64) },
        decisions: r.decisions,
        method: vouchesFor === undefined ? r.method : 'email-confirmation',
        collectionPoint: { url: r.url },
        locale: r.locale,
        gpc: r.gpc,
        prev: null,
      };
      if (r.interaction !== undefined) out.interaction = r.interaction;
      if (r.jurisdiction !== undefined) out.jurisdiction = r.jurisdiction;
      if (r.context !== undefined) out.context = r.context;
      if (vouchesFor !== undefined) out[r.vouch] = vouchesFor;
      return out;
    });
}

export type StoredEntry = { readonly record: ConsentRecord; readonly assurance: string; readonly version: number };

/** A person's stored entries, oldest first: some vouch for an earlier one. */
export function storedHistory(policy: Policy, maxLength = 6): fc.Arbitrary<StoredEntry[]> {
  return fc
    .array(
      fc.record({
        vouchFor: fc.option(fc.nat(maxLength), { nil: undefined }),
        assurance: fc.constantFrom('device', 'site', 'inbox', 'unknown-level'),
        version: fc.constantFrom(1, 2),
      }),
      { maxLength },
    )
    .chain((shapes) =>
      fc.tuple(
        ...shapes.map((shape, i) => {
          const id = `00000000-0000-7000-8000-${String(i + 1).padStart(12, '0')}`;
          const target =
            shape.vouchFor !== undefined && shape.vouchFor < i
              ? `00000000-0000-7000-8000-${String(shape.vouchFor + 1).padStart(12, '0')}`
              : undefined;
          return record(policy, id, target).map((r) => ({
            record: r,
            assurance: shape.assurance,
            version: shape.version,
          }));
        }),
      ),
    );
}

/** The compact JWS the ledger stores for `record` (a signature of random bytes: nobody checks it here). */
export function storedJws(record: ConsentRecord, signature: Uint8Array): string {
  const part = (value: unknown) => base64urlEncode(utf8Encode(canonicalize(value)));
  return `${part({ alg: 'EdDSA', kid: 'test-key', typ: 'consentkit-record+jws' })}.${part(record)}.${base64urlEncode(signature)}`;
}

export const evaluationContext: fc.Arbitrary<EvaluationContext> = fc.record(
  {
    jurisdiction: fc.constantFrom('CA', 'CA-QC', 'US-CA', 'DE', 'GB', 'FR', 'EU'),
    gpc: fc.boolean(),
    now: time.map((t) => new Date(t)),
  },
  { requiredKeys: ['now'] },
);
