import type { Ledger } from '../ledger/ledger.js';
import { verifyLedger } from '../ledger/verify-ledger.js';
import type { Keyring } from '../platform/crypto/keyring.js';
import type { Queryable } from '../platform/store/store.js';
import type { AdminLedgerStatus } from './admin-schemas.js';

/**
 * The ledger's verification status for the dashboard: a verifyLedger run over the whole ledger
 * (its default walk, the one `consentkit verify` makes), cached. A run is reused while the ledger head has not
 * moved and it is younger than `maxAgeMs`; otherwise the next request verifies again. Verifying
 * reads only, so running it from a GET changes nothing (the cache is not state the API exposes
 * as such: `cached` and `checkedAt` say which run the answer comes from).
 */
/** What GET /v1/admin/ledger-status answers (its zod schema is the one source of the shape). */
export type LedgerStatus = AdminLedgerStatus;

export type LedgerStatusCache = {
  /** The latest status, verifying again when the cached run is stale. */
  current(): Promise<LedgerStatus>;
};

export type LedgerStatusOptions = {
  readonly store: Queryable;
  readonly ledger: Ledger;
  readonly keyring: Keyring;
  /** How long an unchanged ledger's result is reused. Default 60 s. */
  readonly maxAgeMs?: number;
  readonly now?: () => number;
};

type Head = { seq: number; hash: string };

export function createLedgerStatusCache(options: LedgerStatusOptions): LedgerStatusCache {
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const now = options.now ?? Date.now;
  let last: { status: LedgerStatus; head: Head; at: number } | undefined;
  let running: Promise<LedgerStatus> | undefined;

  async function head(): Promise<Head> {
    const row = (
      await options.store.query<{ seq: number; entry_hash: string }>(
        'SELECT seq, entry_hash FROM ledger_head WHERE id = 1',
      )
    )[0];
    return { seq: Number(row?.seq ?? 0), hash: row?.entry_hash ?? '' };
  }

  async function run(): Promise<LedgerStatus> {
    const before = await head();
    const started = now();
    const result = await verifyLedger({
      store: options.store,
      ledger: options.ledger,
      keys: await options.keyring.publicJwks(),
    });
    const durationMs = now() - started;
    const cp = (
      await options.store.query<{ seq: number; signed_at: string }>(
        'SELECT seq, signed_at FROM checkpoints ORDER BY seq DESC LIMIT 1',
      )
    )[0];
    const status: LedgerStatus = {
      ok: result.ok,
      entriesChecked: result.count,
      checkpoints: result.ok ? result.checkpoints : null,
      headSeq: result.ok ? result.headSeq : before.seq,
      lastCheckpoint: cp ? { seq: Number(cp.seq), signedAt: cp.signed_at } : null,
      checkedAt: new Date(started).toISOString(),
      durationMs,
      cached: false,
      fault: result.ok ? null : { seq: result.seq, recordId: result.recordId ?? null, reason: result.reason },
    };
    last = { status, head: before, at: started };
    return status;
  }

  /** Read on every answer, not cached: a refusal must show as soon as it is stored. */
  async function witnesses(): Promise<NonNullable<LedgerStatus['witnesses']>> {
    const cosigned = await options.store.query<{ witness: string; size: number; cosigned_at: number }>(
      `SELECT DISTINCT ON (witness) witness, size, cosigned_at FROM witness_cosignatures
        ORDER BY witness, size DESC, cosigned_at DESC`,
    );
    const refusals = await options.store.query<{ target: string; size: number; reason: string; refused_at: string }>(
      'SELECT target, size, reason, refused_at FROM witness_refusals ORDER BY target',
    );
    return {
      cosigned: cosigned.map((r) => ({
        witness: r.witness,
        size: Number(r.size),
        cosignedAt: new Date(Number(r.cosigned_at) * 1000).toISOString(),
      })),
      refusals: refusals.map((r) => ({
        target: r.target,
        size: Number(r.size),
        reason: r.reason,
        refusedAt: r.refused_at,
      })),
    };
  }

  return {
    async current() {
      const h = await head();
      if (last && last.head.seq === h.seq && last.head.hash === h.hash && now() - last.at < maxAgeMs) {
        return { ...last.status, cached: true, witnesses: await witnesses() };
      }
      // Concurrent requests share one run rather than verifying the ledger twice at once.
      running ??= run().finally(() => {
        running = undefined;
      });
      return { ...(await running), witnesses: await witnesses() };
    },
  };
}
