import { rejectionCodeSchema } from '../ingest/records-schemas.js';
import type { Logger } from '../platform/observability/logger.js';
import type { Metrics } from '../platform/observability/metrics.js';
import type { Store } from '../platform/store/store.js';
import type { RecordServerDecisionResult, ServerDecisionMethod } from '../subjects/subject-service.js';
import { ROUTE_GROUPS, STATUS_CLASSES, statusClassOf } from './route-groups.js';

/**
 * The server's series, on the one registry (platform/observability/metrics.ts). Counters are fed
 * where things happen (the request middleware, the metered ingestor and subject service, the
 * purge job); the ledger, the partner queue and the store pool are read at each scrape, so they
 * are right on every instance of a cluster and cost nothing between scrapes.
 */
export const RECORD_RESULTS = ['accepted', 'duplicate', 'rejected'] as const;
/** Every rejection code of the ingestor (its wire schema is the one list), and `none` for an accepted record. */
export const RECORD_CODES = ['none', ...rejectionCodeSchema.options] as const;
export const DECISION_METHODS = [
  'one-click-email',
  'preference-page',
  'gpc',
] as const satisfies readonly ServerDecisionMethod[];
export const PURGE_RESULTS = ['done', 'skipped', 'failed'] as const;
export const RATE_LIMIT_GROUPS = ['ingest', 'hosted', 'one-click'] as const;

export type ServerMetrics = {
  readonly registry: Metrics;
  request(group: string, method: string, status: number, seconds: number): void;
  record(result: (typeof RECORD_RESULTS)[number], code: string): void;
  decision(method: ServerDecisionMethod, result: RecordServerDecisionResult): void;
  rateLimited(group: string): void;
  purge(result: (typeof PURGE_RESULTS)[number], destroyed: number): void;
};

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

export function createServerMetrics(registry: Metrics, options: { store: Store; log: Logger }): ServerMetrics {
  const { store } = options;
  const requests = registry.counter({
    name: 'consentkit_http_requests_total',
    help: 'HTTP requests by route group, method and status class',
    labels: { group: ROUTE_GROUPS, method: METHODS, status: STATUS_CLASSES },
  });
  const latency = registry.histogram({
    name: 'consentkit_http_request_duration_seconds',
    help: 'Time to answer, by route group and status class',
    labels: { group: ROUTE_GROUPS, status: STATUS_CLASSES },
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
  const records = registry.counter({
    name: 'consentkit_records_total',
    help: 'Records submitted to POST /v1/records by result, and rejection code (none when accepted)',
    labels: { result: RECORD_RESULTS, code: RECORD_CODES },
  });
  const decisions = registry.counter({
    name: 'consentkit_server_decisions_total',
    help: 'One-click, preference-page and GPC decisions recorded by the ledger; changed=false when nothing changed',
    labels: { method: DECISION_METHODS, changed: ['true', 'false'] },
  });
  const refusals = registry.counter({
    name: 'consentkit_rate_limit_refusals_total',
    help: 'Requests refused with 429 by the per-client rate limits, by limit group',
    labels: { group: RATE_LIMIT_GROUPS },
  });
  const purgeRuns = registry.counter({
    name: 'consentkit_purge_runs_total',
    help: 'Retention purge runs of this instance by result (skipped: another instance ran one this interval)',
    labels: { result: PURGE_RESULTS },
  });
  const purged = registry.counter({
    name: 'consentkit_purge_destroyed_total',
    help: 'People past retention whose data the purge destroyed (this instance)',
    labels: {},
  });

  // Scrape-time reads. A failing read (the store is down) drops that series from the scrape
  // and says so at debug; /readyz is where an unreachable store shows.
  const read = async (what: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (error) {
      options.log.debug({ err: error, series: what }, 'metrics: a scrape-time read failed');
    }
  };
  registry.gauge({
    name: 'consentkit_ledger_entries',
    help: 'Entries in the ledger (the chain head sequence number)',
    labels: {},
    collect: (g) =>
      read('ledger', async () => {
        const [row] = await store.query<{ seq: number }>('SELECT seq FROM ledger_head WHERE id = 1');
        g.set({}, Number(row?.seq ?? 0));
      }),
  });
  registry.gauge({
    name: 'consentkit_ledger_checkpoint_age_seconds',
    help: 'Seconds since the latest signed checkpoint (absent before the first one)',
    labels: {},
    collect: (g) =>
      read('checkpoint', async () => {
        const [row] = await store.query<{ signed_at: string }>(
          'SELECT signed_at FROM checkpoints ORDER BY seq DESC LIMIT 1',
        );
        if (row) g.set({}, Math.max(0, (Date.now() - Date.parse(row.signed_at)) / 1000));
      }),
  });
  registry.gauge({
    name: 'consentkit_partner_deliveries',
    help: 'Partner webhook deliveries waiting (pending) or given up (failed)',
    labels: { status: ['pending', 'failed'] },
    collect: (g) =>
      read('partners', async () => {
        const rows = await store.query<{ status: string; n: number }>(
          "SELECT status, count(*) AS n FROM partner_deliveries WHERE status IN ('pending', 'failed') GROUP BY status",
        );
        const by = new Map(rows.map((r) => [r.status, Number(r.n)]));
        g.set({ status: 'pending' }, by.get('pending') ?? 0);
        g.set({ status: 'failed' }, by.get('failed') ?? 0);
      }),
  });
  registry.gauge({
    name: 'consentkit_partner_oldest_pending_age_seconds',
    help: 'Age of the oldest pending partner delivery (0 when none waits)',
    labels: {},
    collect: (g) =>
      read('partner-age', async () => {
        const [row] = await store.query<{ oldest: string | null }>(
          "SELECT min(created_at) AS oldest FROM partner_deliveries WHERE status = 'pending'",
        );
        g.set({}, row?.oldest ? Math.max(0, (Date.now() - Date.parse(row.oldest)) / 1000) : 0);
      }),
  });
  registry.gauge({
    name: 'consentkit_purge_last_run_timestamp_seconds',
    help: 'When the latest retention purge (any instance) signed its receipt (absent before the first)',
    labels: {},
    collect: (g) =>
      read('purge', async () => {
        const [row] = await store.query<{ purged_at: string }>(
          'SELECT purged_at FROM purge_receipts ORDER BY purged_at DESC LIMIT 1',
        );
        if (row) g.set({}, Date.parse(row.purged_at) / 1000);
      }),
  });
  registry.gauge({
    name: 'consentkit_store_pool_connections',
    help: 'PostgreSQL pool connections by state (max: the pool size); absent on PGlite',
    labels: { state: ['total', 'idle', 'waiting', 'max'] },
    collect: (g) => {
      const stats = store.poolStats?.();
      if (!stats) return;
      for (const state of ['total', 'idle', 'waiting', 'max'] as const) g.set({ state }, stats[state]);
    },
  });

  return {
    registry,
    request(group, method, status, seconds) {
      const statusClass = statusClassOf(status);
      requests.inc({ group, method, status: statusClass });
      latency.observe({ group, status: statusClass }, seconds);
    },
    record: (result, code) => records.inc({ result, code }),
    decision: (method, result) => decisions.inc({ method, changed: String(result.changed) }),
    rateLimited: (group) => refusals.inc({ group }),
    purge(result, destroyed) {
      purgeRuns.inc({ result });
      if (destroyed > 0) purged.inc({}, destroyed);
    },
  };
}
