/**
 * ISO/IEC TS 27560:2023 consent record (R8–R12) as an export projection of a person's ConsentRecord
 * history. The four sections follow the W3C DPVCG guide's mapping (header, processing, parties,
 * events); field names are its terms in our camelCase. Each of our records becomes one event per
 * decision, so the history stays append-only: a withdrawal adds an event, never edits the grant (R11).
 */
import { ConsentError } from '../errors.js';
import {
  effectivePurpose,
  findPurpose,
  type LegalBasis,
  localize,
  type Policy,
  type Purpose,
  type Recipient,
} from '../policy.js';
import { findRecipient, isSensitivePurpose } from '../purpose-traits.js';
import type { ConsentRecord, Decision, RecordMethod } from '../record.js';
import { isAffirmative } from '../rules.js';
import {
  DPV_NAMESPACE,
  type DpvConsentStatus,
  type DpvLegalBasis,
  dpvLegalBasis,
  isValidForProcessing,
} from './dpv.js';
import { type LedgerReceiptInfo, principalIdOf } from './kantara-receipt.js';

/** [profile] Our schema for the 27560 form; `conformsTo` names the standard itself. */
export const ISO_27560_SCHEMA_VERSION = 'consentkit/iso-27560@1';
export const ISO_27560_CONFORMS_TO = 'ISO/IEC TS 27560:2023';
export type Iso27560Header = {
  schemaVersion: string;
  conformsTo: string;
  recordId: string;
  piiPrincipalId: string;
  vocabulary: { dpv: string };
};

export type Iso27560PiiInformation = {
  piiType: string;
  piiAttributeId: string;
  collected: string[];
  sensitive: boolean;
};

export type Iso27560Processing = {
  purposeId: string;
  purpose: string;
  privacyNotice: { url: string; policyId: string; version: string; digest: string };
  language: string;
  piiInformation: Iso27560PiiInformation[];
  /** Party ids (see `parties`). */
  piiControllers: string[];
  storageLocations: string[];
  /** ISO 8601 duration. */
  retentionPeriod: string;
  jurisdiction: string;
  /** Party ids of third-party recipients; an empty array says "none", which is itself mandatory information. */
  recipientThirdParties: string[];
  withdrawalMethod: string;
  lawfulBasis: DpvLegalBasis;
  /** Our own legal-basis code, finer than DPV's (e.g. `soft-opt-in`, `casl-implied-ebr`). */
  legalBasisDetail: LegalBasis;
  sensitive: boolean;
};

export type Iso27560PartyType = 'dpv:DataController' | 'dpv:ThirdParty' | 'dpv:DataProcessor';

export type Iso27560Party = {
  partyId: string;
  partyName: string;
  partyAddress: string;
  partyContact: string;
  partyType: Iso27560PartyType;
  partyEmail?: string;
  partyUrl?: string;
  partyPhone?: string;
  partyRole?: string;
};

export type Iso27560EventType = 'given' | 'renewed' | 'refused' | 'withdrawn' | 'invalidated';

export type Iso27560Event = {
  eventId: string;
  eventTime: string;
  /** ISO 8601 duration, `PT0S` when the event grants nothing, or `until-withdrawn` [profile]. */
  validityDuration: string;
  /** Who acted: the PII principal for every event a record carries. */
  entityId: string;
  eventType: Iso27560EventType;
  eventState: `dpv:${DpvConsentStatus}`;
  isValidForProcessing: boolean;
  purposeId: string;
  recordId: string;
  policyVersion: string;
  indicationMethod: RecordMethod;
  lawfulBasis: DpvLegalBasis;
  receivedAt?: string;
  ledgerKid?: string;
};

export type Iso27560Record = {
  header: Iso27560Header;
  processing: Iso27560Processing[];
  parties: Iso27560Party[];
  events: Iso27560Event[];
};

export type Iso27560Input = {
  /** One person's records, oldest first (ledger order). */
  records: readonly ConsentRecord[];
  /** The policy, or every version the records point at. */
  policy: Policy | readonly Policy[];
  /** Ledger receipt info by record id. */
  ledger?: Readonly<Record<string, LedgerReceiptInfo>>;
  piiPrincipalId?: string;
  /** Defaults to the first record's id, so the same history always projects to the same record id. */
  recordId?: string;
};

const CONTROLLER_PARTY = 'controller';
const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;

function projectionError(message: string, hint: string): ConsentError {
  return new ConsentError('invalid-policy', `cannot project to ISO/IEC TS 27560: ${message}`, { hint });
}

function policyFor(policies: readonly Policy[], record: ConsentRecord): Policy {
  const policy = policies.find((p) => p.id === record.policy.id && p.version === record.policy.version);
  if (!policy) {
    throw new ConsentError(
      'policy-mismatch',
      `record ${record.id} points at policy ${record.policy.id}@${record.policy.version}, which was not given`,
      { hint: 'Pass every policy version the history refers to.' },
    );
  }
  return policy;
}

function withdrawalMethodOf(policy: Policy, locale: string): string {
  const text = policy.practices?.withdrawal ? localize(policy.practices.withdrawal, locale, policy.defaultLocale) : '';
  if (text.trim() === '') {
    throw projectionError(
      `policy ${policy.id}@${policy.version} has no withdrawal method (practices.withdrawal)`,
      'Say in the policy how a person withdraws consent; 27560 makes it mandatory (R9, A6).',
    );
  }
  return text;
}

function retentionOf(policy: Policy, purpose: Purpose): string {
  const retention = purpose.retention;
  if (typeof retention !== 'string' || !ISO_DURATION.test(retention)) {
    throw projectionError(
      `purpose "${purpose.id}" in policy ${policy.id}@${policy.version} has no retention period`,
      'Set the purpose\'s retention to an ISO 8601 duration such as "P2Y"; 27560 makes it mandatory (R9, A6).',
    );
  }
  return retention;
}

function formatAddress(address: Policy['controller']['address']): string {
  const locality = [address.locality, address.region, address.postalCode].filter((p) => p !== undefined && p !== '');
  return [address.street, locality.join(' '), address.country].join(', ');
}

function recipientParty(policy: Policy, recipient: Recipient): Iso27560Party {
  return {
    partyId: recipient.id,
    partyName: recipient.name,
    // The policy model keeps no recipient address; say so instead of inventing one (a gap to close).
    partyAddress: recipient.country ?? 'not published in the policy; write to the controller',
    // People reach recipients through the controller, as the policy's third-party section says.
    partyContact: policy.controller.contact.email,
    partyType: recipient.kind === 'processor' ? 'dpv:DataProcessor' : 'dpv:ThirdParty',
    partyRole: recipient.kind,
  };
}

function controllerParty(policy: Policy): Iso27560Party {
  const c = policy.controller;
  const party: Iso27560Party = {
    partyId: CONTROLLER_PARTY,
    partyName: c.name,
    partyAddress: formatAddress(c.address),
    partyContact: c.contact.email,
    partyType: 'dpv:DataController',
    partyEmail: c.contact.email,
    partyRole: 'controller',
  };
  if (c.contact.url !== undefined) party.partyUrl = c.contact.url;
  if (c.contact.phone !== undefined) party.partyPhone = c.contact.phone;
  return party;
}

function processingOf(policy: Policy, purpose: Purpose, record: ConsentRecord): Iso27560Processing {
  const locale = record.locale;
  const jurisdiction = record.jurisdiction ?? policy.jurisdiction;
  const categories = purpose.dataCategories.map((id) => {
    const category = policy.dataCategories.find((c) => c.id === id);
    if (!category) {
      throw projectionError(`purpose "${purpose.id}" uses unknown data category "${id}"`, 'Fix the policy.');
    }
    return category;
  });
  if (categories.length === 0) {
    throw projectionError(
      `purpose "${purpose.id}" names no data categories`,
      'List the personal data the purpose uses; 27560 makes PII information mandatory (R9).',
    );
  }
  const effective = effectivePurpose(purpose, jurisdiction);
  return {
    purposeId: purpose.id,
    purpose: localize(purpose.description, locale, policy.defaultLocale),
    privacyNotice: { url: policy.url, policyId: policy.id, version: policy.version, digest: record.policy.digest },
    language: locale,
    piiInformation: categories.map((c) => ({
      piiType: localize(c.type, locale, policy.defaultLocale),
      piiAttributeId: c.id,
      collected: c.collected.map((t) => localize(t, locale, policy.defaultLocale)),
      sensitive: c.sensitive,
    })),
    piiControllers: [CONTROLLER_PARTY],
    storageLocations: [...new Set(categories.map((c) => localize(c.storedIn, locale, policy.defaultLocale)))],
    retentionPeriod: retentionOf(policy, purpose),
    jurisdiction,
    recipientThirdParties: purpose.recipients.filter((id) => findRecipient(policy, id)?.kind !== 'processor'),
    withdrawalMethod: withdrawalMethodOf(policy, locale),
    lawfulBasis: dpvLegalBasis({ basis: effective.basis, legalBasis: effective.legalBasis }),
    legalBasisDetail: effective.legalBasis,
    sensitive: isSensitivePurpose(policy, purpose),
  };
}

/** How long a grant holds: CASL implied consent expires (R35); other consent lasts until withdrawn. */
function validityOf(record: ConsentRecord, legalBasis: LegalBasis): string {
  if (legalBasis === 'casl-implied-ebr') return record.context?.relationship === 'inquiry' ? 'P6M' : 'P2Y';
  return 'until-withdrawn';
}

const STATUS_OF: Record<Iso27560EventType, DpvConsentStatus> = {
  given: 'ConsentGiven',
  renewed: 'RenewedConsentGiven',
  refused: 'ConsentRefused',
  withdrawn: 'ConsentWithdrawn',
  invalidated: 'ConsentInvalidated',
};

function eventTypeOf(record: ConsentRecord, decision: Decision, standing: boolean): Iso27560EventType {
  if (!decision.granted) return standing ? 'withdrawn' : 'refused';
  // An express "yes" without an affirmative act (pre-ticked, scripted, GPC, one-click) is not consent (R16, R21).
  if (decision.basis === 'express' && !isAffirmative(record, decision)) return 'invalidated';
  return standing ? 'renewed' : 'given';
}

/**
 * Projects one person's history to a 27560 record. Fails with `invalid-policy` when the policy lacks
 * what 27560 makes mandatory (withdrawal method, retention period, PII information: R9, A6), rather
 * than exporting a record that looks complete and is not.
 */
export function toIso27560Record(input: Iso27560Input): Iso27560Record {
  const policies: readonly Policy[] = Array.isArray(input.policy) ? input.policy : [input.policy as Policy];
  const first = input.records[0];
  if (!first) {
    throw new ConsentError('invalid-options', 'cannot project an empty history to ISO/IEC TS 27560', {
      hint: 'Pass at least one record.',
    });
  }
  const principal = principalIdOf(first.subject, input.piiPrincipalId);
  const processing = new Map<string, Iso27560Processing>();
  const parties = new Map<string, Iso27560Party>();
  const standing = new Map<string, boolean>();
  const events: Iso27560Event[] = [];

  for (const record of input.records) {
    if (input.piiPrincipalId === undefined && principalIdOf(record.subject) !== principal) {
      throw new ConsentError('invalid-options', `record ${record.id} is about another subject than ${principal}`, {
        hint: "A 27560 record covers one person: project each subject's history separately.",
      });
    }
    const policy = policyFor(policies, record);
    const jurisdiction = record.jurisdiction ?? policy.jurisdiction;
    parties.set(CONTROLLER_PARTY, controllerParty(policy));
    for (const decision of record.decisions) {
      const purpose = findPurpose(policy, decision.purpose);
      if (!purpose) {
        throw new ConsentError(
          'invalid-record',
          `purpose "${decision.purpose}" is not in policy ${policy.id}@${policy.version}`,
        );
      }
      // The latest record's view of a purpose wins (a newer policy version's notice, say).
      processing.set(purpose.id, processingOf(policy, purpose, record));
      for (const id of purpose.recipients) {
        const recipient = findRecipient(policy, id);
        if (!recipient) {
          throw projectionError(`purpose "${purpose.id}" names unknown recipient "${id}"`, 'Fix the policy.');
        }
        parties.set(id, recipientParty(policy, recipient));
      }
      const legalBasis = decision.legalBasis ?? effectivePurpose(purpose, jurisdiction).legalBasis;
      const type = eventTypeOf(record, decision, standing.get(purpose.id) === true);
      const state = STATUS_OF[type];
      if (type === 'given' || type === 'renewed') standing.set(purpose.id, true);
      else if (type === 'refused' || type === 'withdrawn') standing.set(purpose.id, false);
      const event: Iso27560Event = {
        eventId: `${record.id}#${purpose.id}`,
        eventTime: record.issuedAt,
        validityDuration: type === 'given' || type === 'renewed' ? validityOf(record, legalBasis) : 'PT0S',
        entityId: principal,
        eventType: type,
        eventState: `dpv:${state}`,
        isValidForProcessing: isValidForProcessing(state),
        purposeId: purpose.id,
        recordId: record.id,
        policyVersion: record.policy.version,
        indicationMethod: record.method,
        lawfulBasis: dpvLegalBasis({
          basis: decision.basis,
          legalBasis,
          // A checkbox record is the box's own event: the click conveys the consent decision only.
          consentOnly: record.method === 'checkbox',
        }),
      };
      const ledger = input.ledger?.[record.id];
      if (ledger) {
        event.receivedAt = ledger.receivedAt;
        event.ledgerKid = ledger.kid;
      }
      events.push(event);
    }
  }

  return {
    header: {
      schemaVersion: ISO_27560_SCHEMA_VERSION,
      conformsTo: ISO_27560_CONFORMS_TO,
      recordId: input.recordId ?? first.id,
      piiPrincipalId: principal,
      vocabulary: { dpv: DPV_NAMESPACE },
    },
    processing: [...processing.values()],
    parties: [...parties.values()],
    events,
  };
}
