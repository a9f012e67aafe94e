import type { Queryable } from '../store/store.js';
import { toChainEntry } from './entry.js';
import type { Ledger } from './ledger.js';

/**
 * The ledger as NDJSON, one line per entry in seq order: `{ entry, receipt }`, where `entry` is
 * core's `ChainEntry` (check the lines' entries with `verifyChain`) and `receipt` the ledger's
 * JWS. No openings: identifiers never leave in an export.
 */
export async function* exportLedger(options: {
  readonly store: Queryable;
  readonly ledger: Ledger;
  readonly pageSize?: number;
}): AsyncGenerator<string> {
  for (let after = 0; ; ) {
    const page = await options.ledger.page(options.store, after, options.pageSize ?? 500);
    if (page.length === 0) return;
    for (const e of page) {
      yield `${JSON.stringify({ entry: toChainEntry(e), receipt: e.receipt })}\n`;
      after = e.seq;
    }
  }
}
