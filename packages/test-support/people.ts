/**
 * The one way a test makes a person: an email address (or none, for an anonymous device), the
 * device key they sign with, and their chain of signed records. A person signs records the way
 * the SDK does in a browser: a salted commitment to the email (never the email itself), each
 * record chained on the previous one. Server suites post `jws` and `opening` to /v1/records to
 * make the ledger know them.
 */
import {
  type CommitmentOpening,
  type ConsentRecord,
  type CreateRecordInput,
  createCommitment,
  createRecord,
  type Policy,
  type Signer,
  signRecord,
} from '@consentkit/core';
import { exposeIdentifiers } from './identifiers.js';
import { createTestSigner } from './keys.js';

/** A record the person signed, with the opening of its email commitment (none for a device). */
export type SignedTestRecord = {
  readonly jws: string;
  readonly record: ConsentRecord;
  readonly digest: string;
  readonly opening?: CommitmentOpening;
};

/** What a record says, beyond the defaults (a pointer-submitted application form in Canada). */
export type SignInput = Partial<Omit<CreateRecordInput, 'subject' | 'policy'>>;

export type Person = {
  /** Their email address, or null for an anonymous device (the record's subject is `device`). */
  readonly email: string | null;
  readonly policy: Policy;
  readonly signer: Signer;
  /** The digest of the last record they signed (their chain head); null before the first. */
  readonly head: string | null;
  /**
   * Signs a record chained on `head` (unless `input.prev` says otherwise). By default it grants
   * every purpose of the policy on its own basis, from the application form.
   */
  sign(input?: SignInput): Promise<SignedTestRecord>;
};

export type CreatePersonOptions = {
  policy: Policy;
  /** Their address; a fresh `person-N@example.test` when omitted, none when `null`. */
  email?: string | null;
  /** A signer to share (two people on one device); a fresh ES256 key when omitted. */
  signer?: Signer;
};

let people = 0;

export async function createPerson(options: CreatePersonOptions): Promise<Person> {
  const { policy } = options;
  const email = options.email === undefined ? `person-${++people}@example.test` : options.email;
  exposeIdentifiers('email', email);
  const signer = options.signer ?? (await createTestSigner());
  let head: string | null = null;

  async function sign(input: SignInput = {}): Promise<SignedTestRecord> {
    // A fresh salt per record, as the SDK commits anew for every capture.
    const commitment = email === null ? undefined : await createCommitment({ identifier: email });
    const record = await createRecord({
      subject: commitment ? { kind: 'commitment', commitment: commitment.commitment } : { kind: 'device' },
      policy,
      decisions: policy.purposes.map((p) => ({ purpose: p.id, granted: true, basis: p.basis })),
      method: 'form-submit',
      interaction: 'pointer',
      collectionPoint: { url: 'https://allstream.example/apply', form: 'application' },
      locale: 'en',
      gpc: false,
      prev: head,
      ...input,
    });
    const signed = await signRecord({ record, signer });
    exposeIdentifiers('record-id', record.id);
    if (commitment) exposeIdentifiers('opening', commitment.opening.salt);
    head = signed.digest;
    return commitment ? { ...signed, opening: commitment.opening } : signed;
  }

  return {
    email,
    policy,
    signer,
    get head() {
      return head;
    },
    sign,
  };
}
