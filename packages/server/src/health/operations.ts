import type { Hono } from 'hono';
import type { Ingestor } from '../ingest/ingest.js';
import { createLogger, type Logger, logSettingsFromEnv } from '../platform/observability/logger.js';
import { createMetrics } from '../platform/observability/metrics.js';
import type { LedgerContext } from '../runtime/context.js';
import type { SubjectService } from '../subjects/subject-service.js';
import { createHealthRoutes } from './health-routes.js';
import { createLifecycle, type Lifecycle } from './lifecycle.js';
import { meterIngestor, meterSubjects } from './metered.js';
import { observeRequests } from './observe-requests.js';
import { createServerMetrics, type ServerMetrics } from './server-metrics.js';

/**
 * What running the server in production adds to the app: the logger, the metrics, the lifecycle
 * (draining), the probes. runtime/server.ts makes one from the configuration; an app made
 * in-process without one gets a logger from the environment (warnings and worse by default).
 */
export type Operations = {
  readonly logger: Logger;
  readonly metrics: ServerMetrics;
  readonly lifecycle: Lifecycle;
  readonly metricsToken?: string | undefined;
  /** As CONSENTKIT_TRUST_PROXY (0: the socket address is the client). */
  readonly trustProxy: number;
};

export type OperationsOptions = {
  readonly context: Pick<LedgerContext, 'store'>;
  readonly logger?: Logger;
  readonly metricsToken?: string | undefined;
  readonly trustProxy?: number;
};

export function createOperations(options: OperationsOptions): Operations {
  const logger = options.logger ?? createLogger(logSettingsFromEnv(process.env, { level: 'warn' }));
  return {
    logger,
    metrics: createServerMetrics(createMetrics(), { store: options.context.store, log: logger }),
    lifecycle: createLifecycle(),
    metricsToken: options.metricsToken,
    trustProxy: options.trustProxy ?? 0,
  };
}

/**
 * Mounts the request middleware (first, so it sees every request) and the probe and metrics
 * routes, and returns the ingestor and subject service the routes should use (counted).
 */
export function installOperations(
  app: Hono,
  operations: Operations,
  context: LedgerContext,
): { readonly ingestor: Ingestor; readonly subjects: SubjectService } {
  const { logger, metrics, lifecycle } = operations;
  app.use(observeRequests({ lifecycle, metrics, log: logger, trustProxy: operations.trustProxy }));
  app.route('/', createHealthRoutes({ context, lifecycle, metrics, metricsToken: operations.metricsToken }));
  return {
    ingestor: meterIngestor(context.ingestor, metrics, logger),
    subjects: meterSubjects(context.subjects, metrics, logger),
  };
}
