import type { CollectionPointStats, LedgerStatus, PurposeStats, SubjectLookup } from '../../src/client/api-types.js';

/** Answers in the server's documented shapes, for the element tests. */
export const PURPOSE_STATS: PurposeStats = {
  from: '2026-01-01',
  to: '2026-01-03',
  bucket: 'day',
  throughSeq: 5,
  days: [
    {
      day: '2026-01-01',
      purposes: {
        marketing: { granted: 0, optedOut: 0, withdrawn: 0, decisions: 0 },
        'partner-sharing': { granted: 0, optedOut: 0, withdrawn: 0, decisions: 0 },
      },
    },
    {
      day: '2026-01-02',
      purposes: {
        marketing: { granted: 3, optedOut: 1, withdrawn: 0, decisions: 4 },
        'partner-sharing': { granted: 1, optedOut: 0, withdrawn: 0, decisions: 1 },
      },
    },
    {
      day: '2026-01-03',
      purposes: {
        marketing: { granted: 2, optedOut: 2, withdrawn: 0, decisions: 1 },
        'partner-sharing': { granted: 0, optedOut: 0, withdrawn: 1, decisions: 1 },
      },
    },
  ],
};

export const COLLECTION_POINTS: CollectionPointStats = {
  throughSeq: 5,
  collectionPoints: [
    {
      key: '["https://shop.example/apply","application",null]',
      url: 'https://shop.example/apply',
      form: 'application',
      flow: null,
      records: 3,
      optOutDecisions: 3,
      optedOut: 1,
      optOutRate: 1 / 3,
    },
    {
      key: '["https://shop.example/account",null,"preference-page"]',
      url: 'https://shop.example/account',
      form: null,
      flow: 'preference-page',
      records: 1,
      optOutDecisions: 0,
      optedOut: 0,
      optOutRate: null,
    },
  ],
};

export const LEDGER_OK: LedgerStatus = {
  ok: true,
  entriesChecked: 5,
  checkpoints: 2,
  headSeq: 5,
  lastCheckpoint: { seq: 4, signedAt: '2026-01-03T10:00:00.000Z' },
  checkedAt: '2026-01-03T10:05:00.000Z',
  durationMs: 12,
  cached: false,
  fault: null,
};

export const LEDGER_TAMPERED: LedgerStatus = {
  ...LEDGER_OK,
  ok: false,
  entriesChecked: 2,
  checkpoints: null,
  fault: {
    seq: 3,
    recordId: '0190f000-0000-7000-8000-000000000003',
    reason: 'entryHash does not match the entry (changed)',
  },
};

const ok = { ok: true, detail: 'checked' };

export const LOOKUP_TAMPERED: SubjectLookup = {
  subject: '0190f000-0000-7000-8000-00000000000a',
  createdAt: '2026-01-02T09:00:00.000Z',
  state: {
    marketing: {
      purpose: 'marketing',
      status: 'denied',
      // The rules' reason code (core's ReasonCode), as the server sends it; the dashboard puts it in words.
      reason: 'opted-out',
      basis: 'opt-out',
      legalBasis: 'legitimate-interest',
      recordId: '0190f000-0000-7000-8000-000000000003',
      at: '2026-01-03T09:00:00.000Z',
    },
  },
  records: [
    {
      seq: 1,
      recordId: '0190f000-0000-7000-8000-000000000001',
      receivedAt: '2026-01-02T09:00:00.000Z',
      issuedAt: '2026-01-02T09:00:00.000Z',
      method: 'form-submit',
      collectionPoint: { url: 'https://shop.example/apply', form: 'application' },
      decisions: [{ purpose: 'marketing', granted: true, basis: 'opt-out' }],
      badges: { signature: ok, chain: ok, receipt: ok },
    },
    {
      seq: 3,
      recordId: '0190f000-0000-7000-8000-000000000003',
      receivedAt: '2026-01-03T09:00:00.000Z',
      issuedAt: '2026-01-03T09:00:00.000Z',
      method: 'one-click-email',
      collectionPoint: { url: 'https://ledger.example/u', flow: 'one-click' },
      decisions: [{ purpose: 'marketing', granted: false, basis: 'opt-out' }],
      badges: {
        signature: ok,
        chain: { ok: false, detail: 'the entry hash does not match the entry (it was changed)' },
        receipt: { ok: false, detail: 'the receipt is signed but does not match the entry' },
      },
    },
  ],
};
