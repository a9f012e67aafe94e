// Vouching for a grant (subject-service.ts): a site's attestation or the person's confirmation,
// appended as a new ledger-signed record that names the grant, and which grants a confirmation
// link may still confirm.
import { ConsentError, createRecord, type Decision, decisionInteraction, signRecord } from '@consentkit/core';
import type { Ledger, LockedTx } from '../ledger/ledger.js';
import { assuredRecordOf } from '../ledger/records-of.js';
import { sha256HexSync } from '../platform/crypto/hash.js';
import type { Keyring } from '../platform/crypto/keyring.js';
import type { Store } from '../platform/store/store.js';
import { findSubject } from './subject-lookup.js';
import type { SubjectService, VouchInput, VouchResult } from './subject-service-contract.js';

export function createVouching(options: {
  readonly store: Store;
  readonly keyring: Keyring;
  readonly ledger: Ledger;
}): Pick<SubjectService, 'vouch' | 'confirmable'> {
  const { store, keyring, ledger } = options;

  async function vouch(input: VouchInput): Promise<VouchResult> {
    const confirms = input.kind === 'confirms';
    // Every key the ledger has signed with: a confirmation signed under a key since rotated still
    // counts, so a retry after a rotation finds it instead of appending a second one. Read before
    // the lock (on PGlite the lock's transaction holds the one connection), and only to confirm.
    const ledgerKids = confirms ? new Set((await keyring.publicJwks()).map((key) => key.kid)) : undefined;
    return ledger.withLock(async (tx) => {
      const target = await ledger.findByRecordId(tx, input.recordId);
      if (!target) throw new ConsentError('not-found', `no record ${input.recordId} in the ledger`);
      const original = assuredRecordOf(target).record;
      if (original.confirms !== undefined || original.attests !== undefined) {
        throw new ConsentError('invalid-options', `record ${input.recordId} is itself a confirmation or attestation`, {
          hint: 'Vouch for the grant the person made, not for the ledger’s record about it.',
        });
      }
      const wanted = input.purposes;
      const grants = original.decisions.filter((d) => d.granted && (!wanted || wanted.includes(d.purpose)));
      if (grants.length === 0) {
        const what = wanted ? `nothing of ${wanted.join(', ')}` : 'nothing';
        throw new ConsentError(
          'invalid-options',
          `record ${input.recordId} grants ${what}, so there is nothing to vouch for`,
          {
            hint: 'Refusals and withdrawals count at every level already.',
          },
        );
      }
      if (ledgerKids && target.subjectRef) {
        // A second POST (a double click, a retry) finds the first confirmation and writes nothing.
        const done = await confirmationOf(tx, ledgerKids, target.subjectRef, original.id, grants);
        if (done) return { ...done, changed: false };
      }
      const record = await createRecord({
        subject: original.subject,
        policy: original.policy,
        // The grants as the person made them (with their own interaction), so the record reads alone.
        decisions: grants.map((d) => {
          const interaction = decisionInteraction(original, d);
          const shownText = confirms ? input.shown?.wording[d.purpose] : undefined;
          const decision: Decision =
            shownText === undefined
              ? { ...d }
              : { ...d, wording: { sha256: sha256HexSync(shownText), text: shownText } };
          return interaction === undefined ? decision : { ...decision, interaction };
        }),
        method: confirms ? 'email-confirmation' : 'api',
        // Confirming is the person's click on the page; an attestation is the backend speaking.
        ...(confirms ? { interaction: 'pointer' as const } : {}),
        collectionPoint: { flow: confirms ? 'confirmation-page' : 'attestation' },
        locale: (confirms ? input.shown?.locale : undefined) ?? original.locale,
        ...(original.jurisdiction === undefined ? {} : { jurisdiction: original.jurisdiction }),
        gpc: null,
        prev: await ledger.lastDigestOf(tx, keyring.signer.kid),
        ...(confirms ? { confirms: original.id } : { attests: original.id }),
        ...(!confirms && input.identifierVerified !== undefined
          ? { identifierVerified: input.identifierVerified }
          : {}),
      });
      const signed = await signRecord({ record, signer: keyring.signer, sha256Hex: sha256HexSync });
      const entry = await ledger.append(tx, {
        recordId: record.id,
        kid: keyring.signer.kid,
        digest: signed.digest,
        jws: signed.jws,
        subjectRef: target.subjectRef,
        assurance: confirms ? 'inbox' : 'site',
      });
      return { recordId: record.id, seq: entry.seq, receipt: entry.receipt, changed: true };
    });
  }

  /** A confirmation on file that names `recordId` and restates every one of `grants`. */
  async function confirmationOf(
    tx: LockedTx,
    ledgerKids: ReadonlySet<string>,
    subjectRef: string,
    recordId: string,
    grants: readonly Decision[],
  ) {
    const entries = await ledger.historyOf(tx, subjectRef);
    for (const entry of entries) {
      if (!ledgerKids.has(entry.kid)) continue;
      const { record } = assuredRecordOf(entry);
      if (record.confirms !== recordId) continue;
      if (grants.every((g) => record.decisions.some((d) => d.granted && d.purpose === g.purpose))) {
        return { recordId: record.id, seq: entry.seq, receipt: entry.receipt };
      }
    }
    return undefined;
  }

  return {
    vouch,
    async confirmable(claims) {
      const entry = await ledger.findByRecordId(store, claims.recordId);
      if (!entry?.subjectRef) return undefined;
      const { record } = assuredRecordOf(entry);
      if (record.confirms !== undefined || record.attests !== undefined) return undefined;
      if (!record.decisions.some((d) => d.granted && d.purpose === claims.purpose)) return undefined;
      // An erased person's links must look exactly like forged ones.
      if (!(await findSubject(store, entry.subjectRef))) return undefined;
      return { subjectRef: entry.subjectRef, issuedAt: record.issuedAt };
    },
  };
}
