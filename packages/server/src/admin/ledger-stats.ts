import type { ConsentRecord, Decision } from '@consentkit/core';
import { decodeRecord } from '../ledger/records-of.js';
import type { Queryable } from '../platform/store/store.js';

/**
 * Aggregates for the /admin dashboard, kept in memory and brought up to date incrementally: the
 * ledger is append-only, so each request reads only the entries added since the last one (one
 * indexed range query) instead of scanning and decoding the whole ledger again. If the entry the
 * cache stopped at is gone or changed (a restore, a test that rewrites the table), the cache is
 * rebuilt from scratch: correctness first, speed second.
 *
 * What is counted (docs/privacy-operations.md, "Admin dashboard"):
 * - per purpose, per UTC day of the ledger's receive time (the ledger's clock, not the client's):
 *   how many people stand at "granted", "opted out" and "withdrawn" at the end of that day, by
 *   their latest recorded decision. "Opted out" is a refusal under an opt-out basis, "withdrawn"
 *   a refusal under an express or implied basis. It is the recorded state, not core's evaluated
 *   state (no GPC context, no expiry of implied consent), which the subject lookup shows.
 * - per collection point: decisions made there on opt-out purposes and how many were opt-outs.
 */
export type PurposeCounts = {
  /** People whose latest decision for the purpose grants it. */
  granted: number;
  /** People whose latest decision refuses it under an opt-out basis. */
  optedOut: number;
  /** People whose latest decision refuses it under an express or implied basis. */
  withdrawn: number;
  /** Decisions on this purpose recorded during the day (changes, not people). */
  decisions: number;
};

export type PurposeDay = { readonly day: string; readonly purposes: Record<string, PurposeCounts> };

export type CollectionPointStats = {
  readonly key: string;
  readonly url: string | null;
  readonly form: string | null;
  readonly flow: string | null;
  /** Records received from this point. */
  records: number;
  /** Decisions on opt-out purposes made here. */
  optOutDecisions: number;
  /** Of those, how many refused (the person opted out). */
  optedOut: number;
};

type Category = 'granted' | 'optedOut' | 'withdrawn';

type EntryRow = {
  seq: number;
  jws: string;
  subject_ref: string | null;
  kid: string;
  received_at: string;
  entry_hash: string;
};

export type LedgerStats = {
  /** Days from `from` to `to` (inclusive, YYYY-MM-DD, UTC), each with every purpose seen so far. */
  purposeSeries(range: { readonly from: string; readonly to: string }): Promise<PurposeDay[]>;
  collectionPoints(): Promise<CollectionPointStats[]>;
  /** The last ledger sequence number folded into the aggregates. */
  readonly seq: number;
};

export type LedgerStatsOptions = {
  readonly store: Queryable;
  /** Rows read per query while catching up. */
  readonly pageSize?: number;
};

const categoryOf = (d: Decision): Category =>
  d.granted ? 'granted' : d.basis === 'opt-out' ? 'optedOut' : 'withdrawn';

const emptyCounts = (): PurposeCounts => ({ granted: 0, optedOut: 0, withdrawn: 0, decisions: 0 });

/** The point a record came from, as one key: page URL (without query or fragment), form and flow. */
function pointOf(record: ConsentRecord): Omit<CollectionPointStats, 'records' | 'optOutDecisions' | 'optedOut'> {
  const cp = record.collectionPoint ?? {};
  // A query string can carry tokens or campaign ids: the page is what identifies the point.
  let url: string | null = null;
  if (typeof cp.url === 'string' && cp.url !== '') {
    try {
      const parsed = new URL(cp.url);
      url = `${parsed.origin}${parsed.pathname}`;
    } catch {
      url = cp.url.split(/[?#]/)[0] ?? cp.url;
    }
  }
  const form = typeof cp.form === 'string' && cp.form !== '' ? cp.form : null;
  const flow = typeof cp.flow === 'string' && cp.flow !== '' ? cp.flow : null;
  return { key: JSON.stringify([url, form, flow]), url, form, flow };
}

const nextDay = (day: string): string => {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
};

export function createLedgerStats(options: LedgerStatsOptions): LedgerStats {
  const { store } = options;
  const pageSize = options.pageSize ?? 1000;

  // Running state, rebuilt by reset().
  let lastSeq = 0;
  let lastHash: string | null = null;
  let latest = new Map<string, Category>(); // `${subject}\u0000${purpose}` → category
  let totals = new Map<string, PurposeCounts>(); // purpose → current totals
  let days = new Map<string, Map<string, PurposeCounts>>(); // day → purpose → end-of-day snapshot
  let points = new Map<string, CollectionPointStats>();
  let currentDay: string | null = null;
  let dayDecisions = new Map<string, number>();

  function reset() {
    lastSeq = 0;
    lastHash = null;
    latest = new Map();
    totals = new Map();
    days = new Map();
    points = new Map();
    currentDay = null;
    dayDecisions = new Map();
  }

  /** Freezes the running totals as the snapshot of `currentDay`. */
  function snapshot() {
    if (currentDay === null) return;
    const snap = new Map<string, PurposeCounts>();
    for (const [purpose, counts] of totals) {
      snap.set(purpose, { ...counts, decisions: dayDecisions.get(purpose) ?? 0 });
    }
    days.set(currentDay, snap);
  }

  function fold(row: EntryRow) {
    const record = decodeRecord(row.jws);
    const day = row.received_at.slice(0, 10);
    if (day !== currentDay) {
      snapshot();
      currentDay = day;
      dayDecisions = new Map();
    }
    // Device records have no subject ref: the signing key is the person's device.
    const subject = row.subject_ref ?? `kid:${row.kid}`;
    const point = pointOf(record);
    const stats = points.get(point.key) ?? { ...point, records: 0, optOutDecisions: 0, optedOut: 0 };
    stats.records++;
    for (const decision of record.decisions) {
      const key = `${subject}\u0000${decision.purpose}`;
      const before = latest.get(key);
      const after = categoryOf(decision);
      const counts = totals.get(decision.purpose) ?? emptyCounts();
      if (before) counts[before]--;
      counts[after]++;
      totals.set(decision.purpose, counts);
      latest.set(key, after);
      dayDecisions.set(decision.purpose, (dayDecisions.get(decision.purpose) ?? 0) + 1);
      if (decision.basis === 'opt-out') {
        stats.optOutDecisions++;
        if (!decision.granted) stats.optedOut++;
      }
    }
    points.set(point.key, stats);
    lastSeq = Number(row.seq);
    lastHash = row.entry_hash;
  }

  async function catchUp() {
    if (lastSeq > 0) {
      const still = await store.query<{ entry_hash: string }>('SELECT entry_hash FROM ledger_entries WHERE seq = $1', [
        lastSeq,
      ]);
      if (still[0]?.entry_hash !== lastHash) reset();
    }
    for (;;) {
      const rows = await store.query<EntryRow>(
        'SELECT seq, jws, subject_ref, kid, received_at, entry_hash FROM ledger_entries WHERE seq > $1 ORDER BY seq LIMIT $2',
        [lastSeq, pageSize],
      );
      for (const row of rows) fold(row);
      if (rows.length < pageSize) break;
    }
    // The day in progress is frozen as it stands now (and again on the next catch-up).
    snapshot();
  }

  // One catch-up at a time: concurrent requests wait for the same pass instead of double-counting.
  let pending: Promise<void> = Promise.resolve();
  function refresh(): Promise<void> {
    const run = pending.then(catchUp, catchUp);
    pending = run.catch(() => {});
    return run;
  }

  return {
    get seq() {
      return lastSeq;
    },
    async purposeSeries(range) {
      await refresh();
      const known = [...days.keys()].sort();
      // The state before `from` carries into it: start from the last snapshot on or before it.
      let carried = new Map<string, PurposeCounts>();
      for (const day of known) {
        if (day > range.from) break;
        carried = days.get(day) ?? carried;
      }
      const purposes = new Set<string>(totals.keys());
      const series: PurposeDay[] = [];
      for (let day = range.from; day <= range.to; day = nextDay(day)) {
        const snap = days.get(day);
        if (snap) carried = snap;
        const out: Record<string, PurposeCounts> = {};
        for (const purpose of [...purposes].sort()) {
          const counts = carried.get(purpose);
          // Days without a snapshot repeat the state but recorded no decisions.
          out[purpose] = counts
            ? { ...counts, decisions: snap ? counts.decisions : 0 }
            : { granted: 0, optedOut: 0, withdrawn: 0, decisions: 0 };
        }
        series.push({ day, purposes: out });
      }
      return series;
    },
    async collectionPoints() {
      await refresh();
      return [...points.values()]
        .map((p) => ({ ...p }))
        .sort((a, b) => b.records - a.records || a.key.localeCompare(b.key));
    },
  };
}
