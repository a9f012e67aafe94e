import { ConsentError, type ConsentRecord, decodeJws, isUuid } from '@consentkit/core';
import {
  type LedgerReceiptInfo,
  signKantaraReceipt,
  toIso27560Receipt,
  toIso27560Record,
  toKantaraReceipt,
} from '@consentkit/core/projections';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { recordAudit } from '../access/audit-log.js';
import { clientIp, principalOf, requireScope } from '../access/require-scope.js';
import type { StoredEntry } from '../ledger/entry.js';
import { decodeRecord } from '../ledger/records-of.js';
import { HttpError } from '../platform/http/errors.js';
import { validate } from '../platform/http/validate.js';
import type { LedgerContext } from '../runtime/context.js';

export type RecordsProjectionsRoutesOptions = {
  readonly context: LedgerContext;
  /** CONSENTKIT_API_KEY (admin); stored scoped keys work beside it. */
  readonly apiKey: string | undefined;
};

export type ProjectionFormat = 'kantara' | 'iso-27560';

const flag = z.enum(['true', 'false']).optional();
const kantaraQuery = z.strictObject({ signed: flag });
const isoQuery = z.strictObject({ receipt: flag });

/**
 * GET /v1/records/{id}/kantara and /v1/records/{id}/iso-27560 (scope `read`): a stored record as a
 * Kantara Consent Receipt v1.1 (R1–R7; `?signed=true` for the ledger-signed JWS form, R7) or as an
 * ISO/IEC TS 27560 consent record (R8–R11; `?receipt=true` wraps it in a 27560 receipt, R10).
 * Projections, not the proof: the signed record and its ledger receipt stay the evidence. Each
 * call is audited as a read of the subject's records.
 */
export function createRecordsProjectionsRoutes(options: RecordsProjectionsRoutesOptions): Hono {
  const { context } = options;
  const app = new Hono();
  const read = requireScope({ store: context.store, adminKey: options.apiKey, scope: 'read' });

  async function load(id: string): Promise<StoredEntry> {
    if (!isUuid(id.toLowerCase())) {
      throw new HttpError(400, `"${id.slice(0, 64)}" is not a record id: record ids are UUIDs (v7)`, {
        code: 'invalid-record-id',
      });
    }
    const entry = await context.ledger.findByRecordId(context.store, id.toLowerCase());
    if (!entry) throw new HttpError(404, `no record ${id} in this ledger`, { code: 'not-found' });
    return entry;
  }

  /** What the ledger adds to a record: when it took it, at which place, under which key. */
  const ledgerInfo = (entry: StoredEntry): LedgerReceiptInfo => ({
    receivedAt: entry.receivedAt,
    kid: String(decodeJws(entry.receipt).header.kid ?? context.keyring.signer.kid),
    seq: entry.seq,
    digest: entry.digest,
  });

  async function policyOf(record: ConsentRecord) {
    const policy = await context.policies.byDigest(record.policy.digest);
    // Ingest refuses records under unknown policies, so this is a damaged store, not a client fault.
    if (!policy)
      throw new ConsentError('internal', `policy ${record.policy.digest} of record ${record.id} is not on file`);
    return policy;
  }

  async function audit(c: Context, entry: StoredEntry, projection: ProjectionFormat) {
    await recordAudit(context.store, {
      actor: principalOf(c).actor,
      action: 'record.projection',
      target: entry.subjectRef,
      ip: clientIp(c),
      detail: { recordId: entry.recordId, projection },
    });
  }

  app.get('/v1/records/:id/kantara', read, async (c) => {
    const query = validate(kantaraQuery, c.req.query(), 'the query');
    const entry = await load(c.req.param('id'));
    const record = decodeRecord(entry.jws);
    const receipt = toKantaraReceipt({
      record,
      policy: await policyOf(record),
      ledger: ledgerInfo(entry),
      // A device-only record names no person: its signing key stands in (principalIdOf's hint).
      ...(record.subject.kind === 'device' ? { piiPrincipalId: `device:${entry.kid}` } : {}),
    });
    await audit(c, entry, 'kantara');
    if (query.signed === 'true') {
      const jws = await signKantaraReceipt({ receipt, signer: context.keyring.signer });
      return c.body(jws, 200, { 'content-type': 'application/jose' });
    }
    return c.json(receipt);
  });

  app.get('/v1/records/:id/iso-27560', read, async (c) => {
    const query = validate(isoQuery, c.req.query(), 'the query');
    const entry = await load(c.req.param('id'));
    // The subject's history up to this record: whether a "no" is a refusal or a withdrawal (R11)
    // depends on what came before.
    const history = entry.subjectRef
      ? (await context.ledger.historyOf(context.store, entry.subjectRef)).filter((e) => e.seq <= entry.seq)
      : [entry];
    const records = history.map((e) => decodeRecord(e.jws));
    const policies = [];
    for (const digest of new Set(records.map((r) => r.policy.digest))) {
      const found = await context.policies.byDigest(digest);
      if (found) policies.push(found);
    }
    const iso = toIso27560Record({
      records,
      policy: policies,
      ledger: Object.fromEntries(history.map((e) => [e.recordId, ledgerInfo(e)])),
      piiPrincipalId: entry.subjectRef ? `ref:${entry.subjectRef}` : `device:${entry.kid}`,
      recordId: entry.recordId,
    });
    await audit(c, entry, 'iso-27560');
    return c.json(query.receipt === 'true' ? toIso27560Receipt({ record: iso }) : iso);
  });
  return app;
}
