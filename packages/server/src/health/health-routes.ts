import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { HttpError, problemResponse } from '../platform/http/errors.js';
import { loadMigrations } from '../platform/store/migrate.js';
import type { LedgerContext } from '../runtime/context.js';
import type { Lifecycle } from './lifecycle.js';
import type { ServerMetrics } from './server-metrics.js';

/**
 * GET /healthz (the process answers), GET /readyz (the store answers, migrations are done, keys
 * are loaded, the policy parsed, and the server is not draining) and GET /metrics. Cheap,
 * unauthenticated (except /metrics with CONSENTKIT_METRICS_TOKEN), outside the rate limits, and
 * they say nothing about data: check names and ok/failing, never a count or a name.
 */
export type HealthRoutesOptions = {
  readonly context: Pick<LedgerContext, 'store' | 'keyring' | 'policies'>;
  readonly lifecycle: Lifecycle;
  readonly metrics: ServerMetrics;
  /** When set, GET /metrics requires `Authorization: Bearer <token>`. */
  readonly metricsToken?: string | undefined;
};

export type ReadinessCheck = 'store' | 'migrations' | 'keys' | 'policy' | 'serving';
export type Readiness = {
  readonly ready: boolean;
  readonly checks: Readonly<Record<ReadinessCheck, 'ok' | 'failing'>>;
};

const NO_STORE = { 'cache-control': 'no-store' };

const digest = (text: string) => createHash('sha256').update(text).digest();

export function createHealthRoutes(options: HealthRoutesOptions): Hono {
  const { context, lifecycle } = options;
  const latestMigration = Math.max(0, ...loadMigrations().map((m) => m.version));
  const expectedToken = options.metricsToken ? digest(options.metricsToken) : undefined;

  async function readiness(): Promise<Readiness> {
    const checks: Record<ReadinessCheck, 'ok' | 'failing'> = {
      store: 'failing',
      migrations: 'failing',
      keys: 'failing',
      policy: 'failing',
      serving: lifecycle.state === 'serving' ? 'ok' : 'failing',
    };
    try {
      // One query proves the store answers and the schema is current.
      const [row] = await context.store.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
      checks.store = 'ok';
      if (Number(row?.v ?? 0) >= latestMigration) checks.migrations = 'ok';
    } catch {
      // store stays failing
    }
    try {
      if ((await context.keyring.publicJwks()).length > 0) checks.keys = 'ok';
    } catch {
      // keys stay failing
    }
    const policy = context.policies.current;
    if (policy.id && policy.purposes.length > 0) checks.policy = 'ok';
    return { ready: Object.values(checks).every((v) => v === 'ok'), checks };
  }

  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }, 200, NO_STORE));
  app.get('/readyz', async (c) => {
    const result = await readiness();
    return result.ready
      ? c.json({ status: 'ready', checks: result.checks }, 200, NO_STORE)
      : c.json({ status: 'not-ready', checks: result.checks }, 503, { ...NO_STORE, 'Retry-After': '5' });
  });
  app.get('/metrics', async (c) => {
    if (expectedToken) {
      const given = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1] ?? '';
      if (!timingSafeEqual(digest(given), expectedToken)) {
        return problemResponse(
          new HttpError(401, 'GET /metrics needs the token set in CONSENTKIT_METRICS_TOKEN as a Bearer token', {
            code: 'unauthorized',
            headers: { 'WWW-Authenticate': 'Bearer realm="metrics"' },
          }),
        );
      }
    }
    return c.body(await options.metrics.registry.text(), 200, {
      'content-type': options.metrics.registry.contentType,
      ...NO_STORE,
    });
  });
  return app;
}
