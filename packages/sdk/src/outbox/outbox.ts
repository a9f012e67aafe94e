/**
 * The delivery engine. Guarantees, in order of importance:
 * 1. a record is durable in the store before the first send attempt;
 * 2. it leaves the store only when the backend acknowledged it (or refused it for good);
 * 3. retries back off with jitter and honour `Retry-After`;
 * 4. on page hide, what is queued goes out by beacon in ≤ 60 KiB payloads, and stays queued.
 */
import { backoffDelay, type ConsentErrorCode, isConsentError, TransportError } from '@consentkit/core';
import type { ConsentBackend, OutgoingRecord, SendResult } from '../backend.js';
import type { ConsentEvent } from '../events.js';
import { byOrder, type OutboxEntry, type OutboxStore } from './outbox-store.js';
import { DEFAULT_RETRY, type RetryOptions } from './retry-options.js';

/** Keepalive requests and beacons share a 64 KiB in-flight quota (R63); leave headroom. */
export const BEACON_MAX_BYTES = 60 * 1024;

export type DeliveryOutcome =
  | { status: 'delivered'; receipt: string }
  | { status: 'pending' }
  | { status: 'rejected'; code: ConsentErrorCode; reason: string };

export type OutboxOptions = {
  store: OutboxStore;
  backend: ConsentBackend;
  emit: (event: ConsentEvent) => void;
  retry?: RetryOptions;
  /** One attempt's deadline (ms); a hung request counts as a retryable failure. */
  sendTimeoutMs?: number;
  /** Records per `send` call. */
  batchSize?: number;
  /** Injectable for tests. */
  random?: () => number;
};

export type Outbox = {
  /** Loads what an earlier client left in the store, then tries to deliver it. */
  resume(): Promise<void>;
  /** Persists entries (and meta, atomically). Nothing is sent before this resolves. */
  enqueue(options: { entries: readonly OutboxEntry[]; meta?: Record<string, unknown> }): Promise<void>;
  /** One delivery attempt for the given records (and whatever else is due), with their outcomes. */
  deliver(ids: readonly string[]): Promise<Map<string, DeliveryOutcome>>;
  /** Sends everything queued now, ignoring backoff; resolves when the attempt is over. */
  flush(): Promise<void>;
  /** Page-hide delivery: synchronous beacons in ≤ 60 KiB payloads. Records stay queued. */
  beacon(): void;
  /** Queued records, in signing order. */
  pending(): OutboxEntry[];
  close(): Promise<void>;
};

const textEncoder = new TextEncoder();

/** The bytes a record adds to a `{ records: [...] }` body, as the HTTP backend serialises it. */
export function wireSize(record: OutgoingRecord): number {
  const item = record.opening === undefined ? { jws: record.jws } : { jws: record.jws, opening: record.opening };
  return textEncoder.encode(JSON.stringify(item)).byteLength + 1;
}

/** Splits records into runs whose `{"records":[…]}` bodies stay within `maxBytes`. */
export function chunkBySize<T extends OutgoingRecord>(records: readonly T[], maxBytes = BEACON_MAX_BYTES): T[][] {
  const envelope = textEncoder.encode('{"records":[]}').byteLength;
  const chunks: T[][] = [];
  let current: T[] = [];
  let size = envelope;
  for (const record of records) {
    const bytes = wireSize(record);
    if (envelope + bytes > maxBytes) continue; // can never fit a beacon; a normal send takes it
    if (size + bytes > maxBytes && current.length > 0) {
      chunks.push(current);
      current = [];
      size = envelope;
    }
    current.push(record);
    size += bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function outgoing(entry: OutboxEntry): OutgoingRecord {
  const { id, jws, record, opening } = entry;
  return opening === undefined ? { id, jws, record } : { id, jws, record, opening };
}

type Failure = { code: ConsentErrorCode; reason: string; retryAfterMs?: number | undefined };

function failureOf(error: unknown, timedOut: boolean): Failure {
  if (timedOut) return { code: 'transport', reason: 'the delivery attempt timed out' };
  if (error instanceof TransportError) {
    return {
      code: error.status === 429 ? 'rate-limited' : error.code,
      reason: error.reason,
      retryAfterMs: error.retryAfterMs,
    };
  }
  // Events carry the one-line reason; listeners frame it (the widget through core's formatter).
  if (isConsentError(error)) return { code: error.code, reason: error.reason };
  return { code: 'transport', reason: error instanceof Error ? error.message : String(error) };
}

export function createOutbox(options: OutboxOptions): Outbox {
  const { store, backend, emit } = options;
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const sendTimeoutMs = options.sendTimeoutMs ?? 15_000;
  const batchSize = options.batchSize ?? 50;
  const random = options.random ?? Math.random;

  /** In-memory mirror of the store, so page-hide beacons can be built synchronously. */
  const queued = new Map<string, OutboxEntry>();
  /** Records just sent by beacon: not re-sent by the retry loop for a moment (the page may live on). */
  const beaconedAt = new Map<string, number>();
  const BEACON_HOLD_MS = 10_000;
  const inFlight = new Set<AbortController>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let tail: Promise<unknown> = Promise.resolve();
  let closed = false;
  /** No non-forced attempt before this time (ms since the epoch): the server's Retry-After. */
  let holdUntil = 0;

  /** One attempt at a time: the ledger must see each key's records in chain order. */
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };

  const reportStorage = (error: unknown) => {
    if (!closed) emit({ type: 'error', code: 'storage', reason: failureOf(error, false).reason });
  };

  const schedule = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (closed || queued.size === 0) return;
    // When each record may go next: its backoff, a beacon just sent, the server's Retry-After.
    const dueAt = (e: OutboxEntry) =>
      Math.max(e.notBefore, (beaconedAt.get(e.id) ?? 0) + BEACON_HOLD_MS + 1, holdUntil);
    const next = Math.min(...[...queued.values()].map(dueAt));
    const delay = Math.max(0, next - Date.now());
    timer = setTimeout(() => {
      timer = undefined;
      void serial(() => attempt({ force: false })).catch(reportStorage);
    }, delay);
  };

  const sendBatch = async (batch: OutboxEntry[]): Promise<Map<string, SendResult> | Failure> => {
    const controller = new AbortController();
    inFlight.add(controller);
    let timedOut = false;
    const deadline = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, sendTimeoutMs);
    try {
      const results = await backend.send({ records: batch.map(outgoing), signal: controller.signal });
      return new Map(results.map((r) => [r.id, r]));
    } catch (error) {
      return failureOf(error, timedOut);
    } finally {
      clearTimeout(deadline);
      inFlight.delete(controller);
    }
  };

  /**
   * Another client on the same store (a second tab) may have queued or delivered records since we
   * last looked: sending the store's view keeps every key's records in chain order.
   */
  const syncFromStore = async () => {
    try {
      const stored = await store.list();
      const ids = new Set(stored.map((e) => e.id));
      for (const id of queued.keys()) if (!ids.has(id)) queued.delete(id);
      for (const entry of stored) if (!queued.has(entry.id)) queued.set(entry.id, entry);
    } catch (error) {
      reportStorage(error);
    }
  };

  const attempt = async ({ force, only }: { force: boolean; only?: ReadonlySet<string> }) => {
    const outcomes = new Map<string, DeliveryOutcome>();
    if (!closed) await syncFromStore();
    const now = Date.now();
    // The server asked everyone to wait (429/503 Retry-After): only an explicit flush overrides it.
    if (!force && now < holdUntil) {
      for (const id of only ?? []) if (queued.has(id)) outcomes.set(id, { status: 'pending' });
      schedule();
      return outcomes;
    }
    const all = [...queued.values()].sort(byOrder);
    const chosen = all.filter(
      (e) => force || only?.has(e.id) || (e.notBefore <= now && now - (beaconedAt.get(e.id) ?? 0) > BEACON_HOLD_MS),
    );
    // Records leave in signing order: whatever was signed before a chosen record goes with it, or
    // the ledger would see a `prev` it does not know yet.
    const last = chosen.at(-1);
    const due = last === undefined ? [] : all.filter((e) => byOrder(e, last) <= 0);
    const done: string[] = [];
    const retried: OutboxEntry[] = [];
    const fail = (entry: OutboxEntry, failure: Failure) => {
      if (failure.retryAfterMs !== undefined) holdUntil = Math.max(holdUntil, Date.now() + failure.retryAfterMs);
      const attempts = entry.attempts + 1;
      const delay = backoffDelay({ ...retry, attempt: attempts, retryAfterMs: failure.retryAfterMs, random });
      const updated = { ...entry, attempts, notBefore: Date.now() + delay };
      retried.push(updated);
      outcomes.set(entry.id, { status: 'pending' });
      if (!closed) {
        emit({
          type: 'pending',
          recordId: entry.id,
          attempts,
          retryAt: updated.notBefore,
          code: failure.code,
          reason: failure.reason,
        });
      }
    };

    for (let i = 0; i < due.length && !closed; i += batchSize) {
      const batch = due.slice(i, i + batchSize);
      const results = await sendBatch(batch);
      if (!(results instanceof Map)) {
        // The whole batch failed (network, 5xx, 429): the rest would fail the same way.
        for (const entry of due.slice(i)) fail(entry, results);
        break;
      }
      for (const entry of batch) {
        const result = results.get(entry.id);
        if (result === undefined) {
          fail(entry, { code: 'internal', reason: `the ${backend.name} backend returned no result for the record` });
        } else if (result.status === 'accepted') {
          done.push(entry.id);
          outcomes.set(entry.id, { status: 'delivered', receipt: result.receipt });
          if (!closed) emit({ type: 'delivered', recordId: entry.id, receipt: result.receipt });
        } else if (result.retryable) {
          fail(entry, { code: result.code, reason: result.reason, retryAfterMs: result.retryAfterMs });
        } else {
          done.push(entry.id);
          outcomes.set(entry.id, { status: 'rejected', code: result.code, reason: result.reason });
          if (!closed) emit({ type: 'error', code: result.code, reason: result.reason, recordId: entry.id });
        }
      }
    }

    for (const id of done) {
      queued.delete(id);
      beaconedAt.delete(id);
    }
    for (const entry of retried) if (queued.has(entry.id)) queued.set(entry.id, entry);
    // Deleted only now, after the ack: a crash before this line means a duplicate, never a loss.
    try {
      if (done.length > 0) await store.delete({ ids: done });
      if (retried.length > 0 && !closed) await store.put({ entries: retried });
    } catch (error) {
      reportStorage(error);
    }
    schedule();
    return outcomes;
  };

  return {
    async resume() {
      const entries = await store.list();
      for (const entry of entries) if (!queued.has(entry.id)) queued.set(entry.id, entry);
      // Sent in the background: a slow network must not hold up the page's own captures' signing.
      if (entries.length > 0) void serial(() => attempt({ force: true })).catch(reportStorage);
    },
    async enqueue({ entries, meta }) {
      await store.put(meta === undefined ? { entries } : { entries, meta });
      for (const entry of entries) queued.set(entry.id, entry);
    },
    deliver(ids) {
      const only = new Set(ids);
      return serial(async () => {
        // A record the previous attempt already settled has no outcome here: it is not queued.
        const outcomes = await attempt({ force: false, only });
        for (const id of ids) if (!outcomes.has(id) && queued.has(id)) outcomes.set(id, { status: 'pending' });
        return outcomes;
      });
    },
    async flush() {
      await serial(() => attempt({ force: true }));
    },
    beacon() {
      if (closed || !backend.sendBeacon || queued.size === 0) return;
      const now = Date.now();
      // pagehide often follows visibilitychange→hidden: do not beacon the same records twice.
      const entries = [...queued.values()]
        .filter((e) => now - (beaconedAt.get(e.id) ?? 0) > BEACON_HOLD_MS)
        .sort(byOrder);
      for (const chunk of chunkBySize(entries)) {
        let queuedByBrowser = false;
        try {
          queuedByBrowser = backend.sendBeacon({ records: chunk.map(outgoing) });
        } catch {
          queuedByBrowser = false;
        }
        // `false` means the browser would not take it (quota): the records stay for the next load.
        if (!queuedByBrowser) break;
        for (const record of chunk) beaconedAt.set(record.id, now);
      }
    },
    pending() {
      return [...queued.values()].sort(byOrder);
    },
    async close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      for (const controller of inFlight) controller.abort();
      await tail;
    },
  };
}
