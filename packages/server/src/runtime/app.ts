import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { createAdminRoutes } from '../admin/admin-routes.js';
import { createSubjectExportRoutes } from '../bundle/bundle-routes.js';
import { createLinksRoutes } from '../email/links-routes.js';
import { createOperations, installOperations, type Operations } from '../health/operations.js';
import { createHostedPageRoutes, type HostedPageOptions } from '../hosted-pages/hosted-pages.js';
import { createWidgetAssetRoutes, type WidgetAssetOptions } from '../hosted-pages/widget-assets.js';
import { createRecordsRoutes } from '../ingest/records-routes.js';
import { createJwksRoutes } from '../ledger/jwks-routes.js';
import { createLogRoutes } from '../ledger/log-routes.js';
import { createOpenApiRoutes } from '../openapi/openapi.js';
import { createPartnersRoutes } from '../partners/partners-routes.js';
import { createErrorHandler, notFoundProblem } from '../platform/http/errors.js';
import { createRateLimits, type RateLimitOptions } from '../platform/http/rate-limit-middleware.js';
import { setResponseHeader } from '../platform/http/response-header.js';
import { createPolicyRoutes } from '../policy/policy-routes.js';
import { createProvidersRoutes, type ProvidersOptions } from '../providers/providers-routes.js';
import { createSendersRoutes } from '../senders/senders-routes.js';
import { createAttestationsRoutes } from '../subjects/attestations-routes.js';
import { createRecordsProjectionsRoutes } from '../subjects/projections-routes.js';
import { createSubjectsRoutes } from '../subjects/subjects-routes.js';
import type { LedgerContext } from './context.js';

/** A plain fetch handler mounted beside the API (the examples and their form handler under `pnpm start`). */
export type ExtraRoute = {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly handler: (request: Request) => Response | Promise<Response>;
};

export type AppOptions = {
  readonly context: LedgerContext;
  /** The admin API key; without one the subjects API answers 401 to everyone. */
  readonly apiKey?: string | undefined;
  /** Require an `ingest` key on POST /v1/records (CONSENTKIT_INGEST_REQUIRES_KEY). */
  readonly ingestRequiresKey?: boolean;
  /** Origins allowed to call /v1/records and /v1/policy from a browser. */
  readonly corsOrigins?: readonly string[];
  readonly publicUrl?: string | undefined;
  readonly maxBodyBytes?: number;
  readonly maxBatch?: number;
  /** Extra options for the hosted pages (widget script, clock). */
  readonly hostedPages?: Partial<Omit<HostedPageOptions, 'policy' | 'subjects' | 'csrfKey'>>;
  /** Fetch handlers mounted after the product's own routes (`pnpm start` serves the examples with these). */
  readonly routes?: readonly ExtraRoute[];
  /** The widget drop-in served under /assets/ (default: the @consentkit/widget package's dist/). */
  readonly widgetAssets?: WidgetAssetOptions;
  /** The mailto: address for List-Unsubscribe from POST /v1/links. */
  readonly unsubscribeMailto?: string | undefined;
  readonly log?: (error: unknown) => void;
  /** Per-client limits on ingest and the hosted pages; absent means none (in-process tests, the bench). */
  readonly rateLimits?: RateLimitOptions | undefined;
  /** Logger, metrics, probes and draining (runtime/server.ts makes them from the configuration). */
  readonly operations?: Operations;
  /** Email providers' webhooks and their secrets; a provider left out answers 404. */
  readonly providers?: ProvidersOptions;
};

/**
 * The whole server as one Hono app; `app.fetch` is a pure (Request) => Promise<Response>, so tests
 * call it in-process and runtime/server.ts's listen() is the only place that opens a port.
 */
export function createApp(options: AppOptions): Hono {
  const { context } = options;
  const app = new Hono();
  const operations = options.operations ?? createOperations({ context });
  const metered = installOperations(app, operations, context);
  const log = options.log ?? ((error: unknown) => operations.logger.error({ err: error }, 'unexpected error'));
  app.onError(createErrorHandler({ log }));
  app.notFound(() => notFoundProblem());

  app.use('/v1/*', async (c, next) => {
    await next();
    setResponseHeader(c, 'x-content-type-options', 'nosniff');
  });
  const origins = options.corsOrigins ?? [];
  if (origins.length > 0) {
    const browserApi = cors({
      origin: [...origins],
      allowMethods: ['GET', 'POST', 'OPTIONS'],
      allowHeaders: ['content-type', 'if-none-match'],
      // Retry-After is not CORS-safelisted: without it a cross-origin SDK could not honour a 429/503.
      exposeHeaders: ['etag', 'retry-after'],
      maxAge: 600,
    });
    app.use('/v1/records', browserApi);
    app.use('/v1/policy', browserApi);
  }

  if (options.rateLimits) {
    // Before every route, so a refused request is never read, verified or stored.
    const limits = createRateLimits(options.rateLimits);
    app.on('POST', '/v1/records', limits.middleware('ingest', 'json'));
    app.on(['GET', 'HEAD'], '/u/*', limits.middleware('hosted', 'html'));
    app.on('POST', '/u/*', limits.middleware('one-click', 'html'));
    app.use('/p/*', limits.middleware('hosted', 'html'));
    // The public transparency log has a budget of its own (auditors and witnesses read it in bulk).
    app.on(['GET', 'HEAD'], '/v1/log/*', limits.middleware('log', 'json'));
    app.use('/c/*', limits.middleware('hosted', 'html'));
  }

  app.route('/', createPolicyRoutes({ policies: context.policies }));
  app.route(
    '/',
    createRecordsRoutes({
      ingestor: metered.ingestor,
      ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
      ...(options.maxBatch ? { maxBatch: options.maxBatch } : {}),
      keys: { store: context.store, adminKey: options.apiKey },
      ...(options.ingestRequiresKey ? { requireKey: true } : {}),
    }),
  );
  app.route('/', createSubjectsRoutes({ ...context, apiKey: options.apiKey }));
  // Bulk "may we?" and the suppression feed, for the systems that send the mail.
  app.route('/', createSendersRoutes({ ...context, apiKey: options.apiKey }));
  // Email providers' unsubscribes and complaints into the ledger (their own authenticity checks).
  app.route(
    '/',
    createProvidersRoutes({ ...context, policy: context.policies.current, providers: options.providers ?? {} }),
  );
  app.route('/', createAttestationsRoutes({ context, apiKey: options.apiKey }));
  app.route('/', createSubjectExportRoutes({ context, apiKey: options.apiKey })); // before the hosted /p/* catch-all
  app.route('/', createRecordsProjectionsRoutes({ context, apiKey: options.apiKey }));
  // Partner registry and webhook deliveries (third parties held to the policy's standard); admin scope.
  app.route('/', createPartnersRoutes({ store: context.store, partners: context.partners, apiKey: options.apiKey }));
  // The /admin dashboard and its read-only API.
  app.route('/', createAdminRoutes({ ...context, apiKey: options.apiKey }));
  app.route(
    '/',
    createLinksRoutes({
      context,
      apiKey: options.apiKey,
      publicUrl: options.publicUrl ?? 'http://localhost',
      mailto: options.unsubscribeMailto,
    }),
  );
  app.route('/', createJwksRoutes({ keyring: context.keyring }));
  app.route('/', createLogRoutes({ store: context.store, keyring: context.keyring, tree: context.tree }));
  app.route('/', createOpenApiRoutes(options.publicUrl ? { serverUrl: options.publicUrl } : {}));
  app.route(
    '/',
    createHostedPageRoutes({
      ...options.hostedPages,
      policy: context.policies.current,
      subjects: metered.subjects,
      csrfKey: context.keyring.csrfKey,
      publicUrl: options.publicUrl,
      onError: log,
    }),
  );

  app.route('/', createWidgetAssetRoutes(options.widgetAssets));

  for (const route of options.routes ?? []) {
    app.on(route.method, route.path, (c) => route.handler(c.req.raw));
  }
  return app;
}
