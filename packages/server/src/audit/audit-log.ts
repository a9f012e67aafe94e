import { type ChainEntry, type ChainVerification, entryHash, type JsonObject, verifyChain } from '@consentkit/core';
import type { Queryable, Store } from '../store/store.js';

/**
 * The audit trail: every read of personal data and every admin action, in its own hash chain
 * (core's entryHash / verifyChain, the same construction as the ledger), so a deleted or edited
 * audit row is detected by `consentkit verify`. Entries name a subject by its ref, never by an
 * identifier: the log must not become a second copy of the personal data it watches over.
 */
export type AuditAction =
  | 'subject.state'
  | 'subject.records'
  | 'subject.erase'
  | 'links.create'
  | 'api-key.create'
  | 'api-key.revoke';

export type AuditInput = {
  /** `key:<id>` for a stored API key, `config-admin-key` for CONSENTKIT_API_KEY, `cli` for the console. */
  readonly actor: string;
  readonly action: AuditAction;
  /** A subject ref or an API key id; null when the action has no single target. */
  readonly target: string | null;
  readonly ip: string | null;
  readonly detail?: JsonObject;
};

export type AuditEntry = {
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly target: string | null;
  readonly ip: string | null;
  readonly detail: JsonObject;
  readonly prevHash: string;
  readonly entryHash: string;
};

type AuditRow = {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  ip: string | null;
  detail: string;
  prev_hash: string;
  entry_hash: string;
};

const fromRow = (row: AuditRow): AuditEntry => ({
  seq: Number(row.seq),
  at: row.at,
  actor: row.actor,
  action: row.action,
  target: row.target,
  ip: row.ip,
  detail: JSON.parse(row.detail) as JsonObject,
  prevHash: row.prev_hash,
  entryHash: row.entry_hash,
});

/** The chain body: every column but entry_hash, so changing any of them breaks the chain. */
function toChainEntry(e: AuditEntry): ChainEntry {
  return {
    seq: e.seq,
    at: e.at,
    actor: e.actor,
    action: e.action,
    target: e.target,
    ip: e.ip,
    detail: e.detail,
    prevHash: e.prevHash,
    entryHash: e.entryHash,
  };
}

/**
 * Appends one entry inside `q`'s transaction. Call it inside the transaction that does the audited
 * change (erasure, key revocation) so the change and its record commit or roll back together.
 */
export async function appendAudit(q: Queryable, input: AuditInput): Promise<AuditEntry> {
  const head = (
    await q.query<{ seq: number; entry_hash: string }>('SELECT seq, entry_hash FROM audit_head WHERE id = 1 FOR UPDATE')
  )[0];
  if (!head) throw new Error('[consentkit] the audit head row is missing; were the migrations applied?');
  const body = {
    seq: Number(head.seq) + 1,
    at: new Date().toISOString(),
    actor: input.actor,
    action: input.action,
    target: input.target,
    ip: input.ip,
    detail: input.detail ?? {},
    prevHash: head.entry_hash,
  };
  const hash = await entryHash({ prevHash: head.entry_hash, entry: body });
  await q.query(
    `INSERT INTO audit_log (seq, at, actor, action, target, ip, detail, prev_hash, entry_hash)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`,
    [
      body.seq,
      body.at,
      body.actor,
      body.action,
      body.target,
      body.ip,
      JSON.stringify(body.detail),
      body.prevHash,
      hash,
    ],
  );
  await q.query('UPDATE audit_head SET seq = $1, entry_hash = $2 WHERE id = 1', [body.seq, hash]);
  return { ...body, entryHash: hash };
}

/** Appends in a transaction of its own (reads, which change nothing else). */
export function recordAudit(store: Store, input: AuditInput): Promise<AuditEntry> {
  return store.transaction((tx) => appendAudit(tx, input));
}

export async function listAudit(
  q: Queryable,
  options: { readonly afterSeq?: number; readonly limit?: number } = {},
): Promise<AuditEntry[]> {
  const rows = await q.query<AuditRow>('SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2', [
    options.afterSeq ?? 0,
    options.limit ?? 1000,
  ]);
  return rows.map(fromRow);
}

export type AuditVerification = ChainVerification | { ok: false; index: number; seq: number; reason: 'head' };

/**
 * Verifies the whole audit chain with core's verifyChain, and that the head row matches the last
 * entry (a dropped tail of a hash chain is otherwise a valid, shorter chain).
 */
export async function verifyAudit(q: Queryable): Promise<AuditVerification> {
  const entries: ChainEntry[] = [];
  for (let after = 0; ; ) {
    const page = await listAudit(q, { afterSeq: after, limit: 1000 });
    if (page.length === 0) break;
    entries.push(...page.map(toChainEntry));
    after = page.at(-1)?.seq ?? after;
  }
  const result = await verifyChain(entries);
  if (!result.ok) return result;
  const head = (await q.query<{ seq: number; entry_hash: string }>('SELECT seq, entry_hash FROM audit_head'))[0];
  const last = entries.at(-1);
  if (Number(head?.seq ?? 0) !== (last?.seq ?? 0) || (last && head?.entry_hash !== last.entryHash)) {
    return { ok: false, index: entries.length, seq: Number(head?.seq ?? 0), reason: 'head' };
  }
  return result;
}
