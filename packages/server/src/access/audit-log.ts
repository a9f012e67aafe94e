import { createHash } from 'node:crypto';
import { type ChainVerification, ConsentError, canonicalize, type JsonObject } from '@consentkit/core';
import { createGroupCommit, type GroupCommit } from '../platform/store/group-commit.js';
import type { Queryable, SqlParam, Store } from '../platform/store/store.js';

/**
 * The audit trail: every read of personal data and every admin action, in its own hash chain
 * (core's entryHash / verifyChain, the same construction as the ledger), so a deleted or edited
 * audit row is detected by `consentkit verify`. Entries name a subject by its ref, never by an
 * identifier: the log must not become a second copy of the personal data it watches over.
 */
export type AuditAction =
  | 'subject.state'
  | 'subject.records'
  // A person's signed export bundle (API or preference centre) and one record's projection.
  | 'subject.export'
  | 'record.projection'
  // A backup restored into this ledger (`consentkit import`).
  | 'backup.import'
  | 'subject.erase'
  | 'links.create'
  // A site's backend attested a record it received (POST /v1/attestations).
  | 'record.attest'
  | 'api-key.create'
  | 'api-key.revoke'
  // Third parties: registry changes and manual re-queues of webhook deliveries.
  | 'partner.add'
  | 'partner.rotate-secret'
  | 'partner.remove'
  | 'partner.delivery-retry'
  // The /admin dashboard's aggregate reads; its subject lookup logs as subject.records.
  | 'admin.stats'
  | 'admin.ledger-status'
  // The retention purge: one entry per destroyed subject, with its deletion receipt id.
  | 'retention.purge'
  // Senders: one entry per bulk "may we?" call and per suppression-feed page (counts, never identifiers).
  | 'senders.query'
  | 'senders.suppressions';

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

/** core's `entryHash` (sha256 of prevHash bytes ‖ JCS of the body), synchronous on node:crypto. */
function hashOf(prevHash: string, body: Omit<AuditEntry, 'entryHash'>): string {
  return createHash('sha256').update(Buffer.from(prevHash, 'hex')).update(canonicalize(body), 'utf8').digest('hex');
}

type AuditHead = { readonly seq: number; readonly entryHash: string };

/** The entries that follow `head`, chained in order (each prevHash the previous entryHash). */
function chainAfter(head: AuditHead, inputs: readonly AuditInput[]): AuditEntry[] {
  const at = new Date().toISOString();
  let seq = head.seq;
  let prevHash = head.entryHash;
  const entries: AuditEntry[] = [];
  for (const input of inputs) {
    seq++;
    const body = {
      seq,
      at,
      actor: input.actor,
      action: input.action,
      target: input.target,
      ip: input.ip,
      detail: input.detail ?? {},
      prevHash,
    };
    const hash = hashOf(prevHash, body);
    entries.push({ ...body, entryHash: hash });
    prevHash = hash;
  }
  return entries;
}

// The entries as one JSON parameter of json_to_recordset: one multi-row INSERT however many.
const rowsFrom = (param: string) => `SELECT seq, at, actor, action, target, ip, detail, prev_hash, entry_hash
     FROM json_to_recordset(${param}::json) AS x(seq bigint, at text, actor text, action text, target text, ip text,
       detail text, prev_hash text, entry_hash text)`;

const rowsParam = (entries: readonly AuditEntry[]): string =>
  JSON.stringify(
    entries.map((e) => ({
      seq: e.seq,
      at: e.at,
      actor: e.actor,
      action: e.action,
      target: e.target,
      ip: e.ip,
      detail: JSON.stringify(e.detail),
      prev_hash: e.prevHash,
      entry_hash: e.entryHash,
    })),
  );

/**
 * Appends entries in order inside `q`'s transaction: one head lock, one multi-row INSERT. Call it
 * inside the transaction that does the audited change (erasure, key revocation) so the change and
 * its record commit or roll back together.
 */
export async function appendAuditMany(q: Queryable, inputs: readonly AuditInput[]): Promise<AuditEntry[]> {
  const head = (
    await q.query<{ seq: number; entry_hash: string }>('SELECT seq, entry_hash FROM audit_head WHERE id = 1 FOR UPDATE')
  )[0];
  if (!head)
    throw new ConsentError('storage', 'the audit head row is missing', {
      hint: 'The migrations run at start; was this database made by another tool?',
    });
  const entries = chainAfter({ seq: Number(head.seq), entryHash: head.entry_hash }, inputs);
  const last = entries.at(-1);
  if (!last) return entries;
  await q.query(
    `INSERT INTO audit_log (seq, at, actor, action, target, ip, detail, prev_hash, entry_hash) ${rowsFrom('$1')}`,
    [rowsParam(entries)],
  );
  await q.query('UPDATE audit_head SET seq = $1, entry_hash = $2 WHERE id = 1', [last.seq, last.entryHash]);
  return entries;
}

/**
 * `entries` appended after `head` as two data-modifying CTEs: `audit_moved` moves the head only
 * if it is still `head` and `gate` (an SQL condition over the statement's other CTEs) holds, and
 * `audit_added` inserts the rows only if it moved. Parameters `$first`..`$first + 4` are `params`.
 */
function appendAfterCtes(head: AuditHead, entries: readonly AuditEntry[], first: number, gate = 'true') {
  const last = entries.at(-1) as AuditEntry;
  const $ = (i: number) => `$${first + i}`;
  const ctes = `audit_moved AS (
       UPDATE audit_head SET seq = ${$(1)}, entry_hash = ${$(2)}
       WHERE id = 1 AND seq = ${$(3)} AND entry_hash = ${$(4)} AND (${gate}) RETURNING 1
     ), audit_added AS (
       INSERT INTO audit_log (seq, at, actor, action, target, ip, detail, prev_hash, entry_hash)
       ${rowsFrom($(0))} WHERE EXISTS (SELECT 1 FROM audit_moved) RETURNING 1
     )`;
  const params: SqlParam[] = [rowsParam(entries), last.seq, last.entryHash, head.seq, head.entryHash];
  return { ctes, params };
}

/**
 * Appends after `head` in ONE statement (its own transaction): the head moves only if it is still
 * `head`, and the rows go in only if it moved. Undefined when another writer moved the head first
 * (a CLI, another instance, an audited change's transaction): nothing was written. One statement
 * instead of BEGIN, lock, INSERT, UPDATE, COMMIT: on PGlite each statement costs about as much as
 * the work in it, on PostgreSQL each is a round trip (bench/benches/state.mjs).
 */
async function appendAfter(store: Store, head: AuditHead, inputs: readonly AuditInput[]) {
  const entries = chainAfter(head, inputs);
  if (entries.length === 0) return entries;
  const { ctes, params } = appendAfterCtes(head, entries, 1);
  const [row] = await store.query<{ n: number }>(`WITH ${ctes} SELECT count(*)::int AS n FROM audit_added`, params);
  return Number(row?.n) === entries.length ? entries : undefined;
}

/** Appends one entry inside `q`'s transaction (see appendAuditMany). */
export async function appendAudit(q: Queryable, input: AuditInput): Promise<AuditEntry> {
  const [entry] = await appendAuditMany(q, [input]);
  if (!entry) throw new ConsentError('internal', 'the audit entry was not written');
  return entry;
}

/**
 * This server's appends of its own transactions, per store: the head it last wrote (undefined
 * while a group is in flight, and once another writer may have moved it) and a queue that runs them
 * one at a time, so two groups never chain from the same head. The audit queue (recordAudit) and
 * statements that carry their own append (appendAuditAlong) share it.
 */
type AuditWriter = {
  head: AuditHead | undefined;
  tail: Promise<unknown>;
  queue: GroupCommit<AuditInput, AuditEntry> | undefined;
};
const writers = new WeakMap<Store, AuditWriter>();

function writerOf(store: Store): AuditWriter {
  let writer = writers.get(store);
  if (!writer) {
    writer = { head: undefined, tail: Promise.resolve(), queue: undefined };
    writers.set(store, writer);
  }
  return writer;
}

/** Runs `fn` after every append already queued on `writer`, with the head it knows. */
function serially<T>(
  writer: AuditWriter,
  fn: (head: AuditHead | undefined) => Promise<{ value: T; written?: readonly AuditEntry[] }>,
): Promise<T> {
  const run = writer.tail.then(async () => {
    const known = writer.head;
    writer.head = undefined; // set again only once this append is known to have committed
    const { value, written } = await fn(known);
    const last = written?.at(-1);
    if (last) writer.head = { seq: last.seq, entryHash: last.entryHash };
    return value;
  });
  writer.tail = run.catch(() => {});
  return run;
}

/**
 * Appends in a transaction of its own (reads, which change nothing else). Concurrent calls are
 * committed together; each resolves only after its entry has committed, so the audit entry is
 * durable before the audited answer goes out. The store's writer remembers the head it last wrote,
 * so a group is one statement; when another writer moved the head, it falls back to the locking append.
 */
export function recordAudit(store: Store, input: AuditInput): Promise<AuditEntry> {
  const writer = writerOf(store);
  writer.queue ??= createGroupCommit<AuditInput, AuditEntry>({
    maxItems: 256,
    run: (inputs) =>
      serially(writer, async (known) => {
        const written =
          (known && (await appendAfter(store, known, inputs))) ??
          (await store.transaction((tx) => appendAuditMany(tx, inputs)));
        return { value: written, written };
      }),
  });
  return writer.queue.submit(input);
}

/**
 * An audit append to carry inside another statement (`appendAfterCtes`, from the head this server
 * last wrote). The statement selects `(SELECT count(*) FROM audit_added)` to say whether the
 * entries were written. Parameters are `$first`..`$first + 4`.
 */
export type AuditAlong = { readonly ctes: string; readonly params: readonly SqlParam[] };

/**
 * Runs one statement of the caller's that also appends `inputs` (see AuditAlong), in turn with
 * this store's other appends: one statement, one transaction for the caller's work and its audit
 * entries, and the caller's rows come back only after both committed. `run` gets no AuditAlong when
 * this server does not know the head (at start, after another writer moved it, after a failure):
 * then it appends nothing, and the caller falls back to recordAudit. Its `appended` is the
 * statement's count of `audit_added`; the entries count as written only if it is all of them.
 */
export function appendAuditAlong<T>(
  store: Store,
  options: { readonly inputs: readonly AuditInput[]; readonly first: number; readonly gate: string },
  run: (audit: AuditAlong | undefined) => Promise<{ readonly value: T; readonly appended: number }>,
): Promise<{ readonly value: T; readonly entries: AuditEntry[] | undefined }> {
  return serially(writerOf(store), async (known) => {
    if (!known || options.inputs.length === 0) {
      const { value } = await run(undefined);
      return { value: { value, entries: undefined } };
    }
    const entries = chainAfter(known, options.inputs);
    const { value, appended } = await run(appendAfterCtes(known, entries, options.first, options.gate));
    const written = appended === entries.length ? entries : undefined;
    return { value: { value, entries: written }, ...(written ? { written } : {}) };
  });
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
 * Verifies the whole audit chain page by page in constant memory, with core's verifyChain rules
 * (consecutive seq, each prevHash the previous entryHash, each entryHash recomputed), and that the
 * head row matches the last entry (a dropped tail of a hash chain is otherwise a valid, shorter chain).
 */
export async function verifyAudit(q: Queryable): Promise<AuditVerification> {
  const HASH = /^[0-9a-f]{64}$/;
  let index = 0;
  let prevHash = '0'.repeat(64);
  let prevSeq: number | undefined;
  let last: AuditEntry | undefined;
  for (let after = 0; ; ) {
    const page = await listAudit(q, { afterSeq: after, limit: 5000 });
    if (page.length === 0) break;
    for (const e of page) {
      const fail = (reason: 'malformed' | 'seq' | 'prev-hash' | 'entry-hash'): AuditVerification => ({
        ok: false,
        index,
        seq: e.seq,
        reason,
      });
      if (!Number.isSafeInteger(e.seq) || !HASH.test(e.prevHash) || !HASH.test(e.entryHash)) return fail('malformed');
      if (prevSeq !== undefined && e.seq !== prevSeq + 1) return fail('seq');
      if (e.prevHash !== prevHash) return fail('prev-hash');
      const { entryHash: _stored, ...body } = e;
      if (hashOf(prevHash, body) !== e.entryHash) return fail('entry-hash');
      prevHash = e.entryHash;
      prevSeq = e.seq;
      last = e;
      index++;
    }
    after = page.at(-1)?.seq ?? after;
  }
  const head = (await q.query<{ seq: number; entry_hash: string }>('SELECT seq, entry_hash FROM audit_head'))[0];
  if (Number(head?.seq ?? 0) !== (last?.seq ?? 0) || (last && head?.entry_hash !== last.entryHash)) {
    return { ok: false, index, seq: Number(head?.seq ?? 0), reason: 'head' };
  }
  return { ok: true, count: index };
}
