import { type ServerType, serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { gracefulStop } from '../health/graceful-stop.js';
import { createOperations, type Operations } from '../health/operations.js';
import { startPartnerRunner } from '../partners/partner-runner.js';
import { createLogger, type Logger } from '../platform/observability/logger.js';
import type { DataDirLock } from '../platform/store/data-dir-lock.js';
import { openStore } from '../platform/store/open-store.js';
import { loadPolicyFile } from '../policy/policy-file.js';
import { providersOf } from '../providers/providers-config.js';
import { startPurgeJob } from '../retention/purge-job.js';
import { startCheckpointPublisher } from '../witness/checkpoint-publisher.js';
import { parseCosignerVerifierKey } from '../witness/cosignature.js';
import { createApp, type ExtraRoute } from './app.js';
import { logOriginOf, publicUrlOf, resolveMasterKey, type ServerConfig } from './config.js';
import { createLedgerContext, type LedgerContext } from './context.js';

/**
 * The one start-up path: configuration → context (store, keys, policy) → app → listener.
 * `openServer` goes as far as the app (the CLI commands and in-process callers stop there);
 * `listen()` adds the port and the background jobs. `startServer` is both in one call.
 */
export type ServerOptions = {
  /** Fetch handlers mounted beside the product's routes (`pnpm start` serves the examples with these). */
  readonly routes?: readonly ExtraRoute[];
  /** Where the start-up lines go once listening (default: stdout). */
  readonly log?: (line: string) => void;
  /**
   * Starts the socket `consentkit` commands reach a listening server on (embedded store only):
   * cli/consentkit.ts's commandSocketStarter, which `consentkit serve` and `pnpm start` pass.
   */
  readonly commands?: CommandSocketStarter;
};

/** Starts a listening server's command socket on its locked data folder; closed when the server stops. */
export type CommandSocketStarter = (
  server: OpenedServer,
  lock: DataDirLock,
  url: string,
) => Promise<{ close(): Promise<void> }>;

export type RunningServer = {
  /** Where the listener is, e.g. `http://127.0.0.1:8787`. */
  readonly url: string;
  /** PUBLIC_URL when configured, else `url`. */
  readonly publicUrl: string;
  /** Drains (see health/graceful-stop.ts): in-flight work finishes up to the deadline, then the store closes. */
  stop(): Promise<void>;
  readonly logger: Logger;
};

export type OpenedServer = {
  readonly context: LedgerContext;
  /** The whole HTTP surface; `app.fetch` is a `(Request) => Promise<Response>`. */
  readonly app: Hono;
  /** The origin links are built on (PUBLIC_URL, else the configured listener). */
  readonly publicUrl: string;
  /** What the operator should know before trusting this start (a development master key, …). */
  readonly warnings: readonly string[];
  /** The logger, metrics, probes and drain state the app was made with. */
  readonly operations: Operations;
  /** Opens the port (config.port, 0 for any) and starts partner webhooks and the retention purge. */
  listen(): Promise<RunningServer>;
  /** Closes the store (a listening server: use the RunningServer's stop()). */
  close(): Promise<void>;
};

export async function openServer(config: ServerConfig, options: ServerOptions = {}): Promise<OpenedServer> {
  const policy = loadPolicyFile(config.policyFile);
  const master = resolveMasterKey(config);
  const store = await openStore(config);
  let context: LedgerContext;
  try {
    context = await createLedgerContext({
      store,
      masterKey: master.key,
      policy,
      checkpointEvery: config.checkpointEvery,
      proofCacheLeaves: config.proofCacheLeaves,
      ...(logOriginOf(config) ? { origin: logOriginOf(config) as string } : {}),
    });
  } catch (error) {
    await store.close().catch(() => {});
    throw error;
  }
  const publicUrl = publicUrlOf(config);
  const logger = createLogger({ level: config.logLevel, format: config.logFormat, file: config.logFile });
  const operations = createOperations({
    context,
    logger,
    metricsToken: config.metricsToken,
    trustProxy: config.trustProxy,
  });
  const app = createApp({
    operations,
    context,
    apiKey: config.apiKey,
    ingestRequiresKey: config.ingestRequiresKey,
    corsOrigins: config.corsOrigins,
    publicUrl,
    maxBodyBytes: config.maxBodyBytes,
    maxBatch: config.maxBatch,
    unsubscribeMailto: config.unsubscribeMailto,
    rateLimits: {
      ingest: config.rateLimitIngest,
      hosted: config.rateLimitHosted,
      oneClick: config.rateLimitOneClick,
      log: config.rateLimitLog,
      trustProxy: config.trustProxy,
    },
    ...(options.routes ? { routes: options.routes } : {}),
    providers: providersOf(config),
  });
  const warnings = master.warning ? [master.warning] : [];
  if (!config.apiKey) {
    warnings.push(
      '[consentkit] no CONSENTKIT_API_KEY: /v1/subjects accepts only keys made with `consentkit keys api create`.',
    );
  }
  const close = async () => {
    await context.ingestor.close();
    await store.close();
  };
  return {
    context,
    app,
    publicUrl,
    warnings,
    operations,
    close,
    listen: () =>
      listen(
        config,
        { context, app, publicUrl, warnings, close, operations },
        options.log ?? ((line) => operations.logger.info(line)),
        options,
      ),
  };
}

/** `openServer(config, options)` and `listen()`, printing the warnings first. */
export async function startServer(config: ServerConfig, options: ServerOptions = {}): Promise<RunningServer> {
  const server = await openServer(config, options);
  for (const warning of server.warnings) server.operations.logger.warn(warning);
  try {
    return await server.listen();
  } catch (error) {
    await server.close().catch(() => {});
    throw error;
  }
}

type Opened = Pick<OpenedServer, 'context' | 'app' | 'publicUrl' | 'warnings' | 'close' | 'operations'>;

/**
 * On the embedded store, the socket `consentkit` commands reach this server on (cli/cli-bridge.ts):
 * the folder is ours alone, so the CLI runs its commands here. The CLI hands the starter in
 * (ServerOptions.commands), so this module never imports the CLI that imports it.
 */
async function startCommands(opened: Opened, url: string, publicUrl: string, start: CommandSocketStarter | undefined) {
  const lock = opened.context.store.lock;
  if (!lock || !start) return undefined;
  const server: OpenedServer = {
    ...opened,
    publicUrl, // the listener's real address when PUBLIC_URL is unset (port 0 is known only now)
    listen: () => Promise.reject(new Error('already listening')),
    close: async () => {}, // the listener's stop() closes the store, never a command
  };
  return start(server, lock, url);
}

async function listen(
  config: ServerConfig,
  opened: Opened,
  log: (line: string) => void,
  options: ServerOptions,
): Promise<RunningServer> {
  const { context } = opened;
  const { logger } = opened.operations;
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: opened.app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  let commands: Awaited<ReturnType<typeof startCommands>>;
  try {
    commands = await startCommands(opened, url, config.publicUrl ? opened.publicUrl : url, options.commands);
  } catch (error) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw error;
  }
  // Partner webhooks and the retention purge run beside the listener only (never in CLI commands,
  // which also open the store), and only once the port is ours, so a failed start leaves nothing running.
  const partnerRunner =
    config.partnerWebhooksInterval === 'off'
      ? undefined
      : startPartnerRunner({
          store: context.store,
          ledger: context.ledger,
          registry: context.partners,
          policy: context.policies.current,
          intervalMs: config.partnerWebhooksInterval,
          worker: { maxAttempts: config.partnerWebhooksMaxAttempts },
          log: (line) => logger.warn(line),
        });
  // Each new signed checkpoint to the folder and witnesses configured (R72); beside ingest, never in its way.
  const publisher =
    config.checkpointPublishInterval === 'off' || (!config.checkpointDir && config.witnessUrls.length === 0)
      ? undefined
      : startCheckpointPublisher({
          store: context.store,
          tree: context.tree,
          folder: config.checkpointDir,
          witnesses: config.witnessUrls.map((url, i) => {
            const key =
              config.witnessKeys[i] === undefined ? undefined : parseCosignerVerifierKey(config.witnessKeys[i]);
            return { url, key: key && !('reason' in key) ? key : undefined };
          }),
          intervalMs: config.checkpointPublishInterval,
          onEvent: (event) =>
            event.kind === 'published'
              ? logger.info({ checkpoint: event }, `checkpoint of ${event.size} entries published to ${event.target}`)
              : logger[event.kind === 'conflict' ? 'error' : 'warn'](
                  // A refusal is an alert: the ledger signed a checkpoint that does not extend one
                  // the witness cosigned. Sizes, roots and the witness URL only; no personal data.
                  { checkpoint: event, ...(event.kind === 'conflict' ? { alert: 'witness-refusal' } : {}) },
                  `checkpoint of ${event.size} entries not published to ${event.target}: ${event.reason}`,
                ),
        });
  // The proofs' node cache fills from the stored nodes in the background (ledger/tree-builder.ts):
  // readiness does not wait for it, and proofs meanwhile read the database instead of waiting.
  const warming = new AbortController();
  const warmStarted = performance.now();
  const warm = context.tree.warm(warming.signal).then(
    (leaves) =>
      warming.signal.aborted ||
      logger.info(
        { leaves, ms: Math.round(performance.now() - warmStarted) },
        `proof cache holds the nodes of ${leaves} leaves`,
      ),
    (error: unknown) => warming.signal.aborted || logger.warn({ err: error }, 'proof cache not warmed'),
  );
  const purgeJob = startPurgeJob({
    context,
    intervalMs: config.purgeInterval,
    log: (line) => logger.info(line),
    onResult: (result, destroyed) => opened.operations.metrics.purge(result, destroyed),
  });
  const policy = context.policies.current;
  const links = [
    ['policy', '/v1/policy'],
    ['API document', '/v1/openapi.json'],
    ['ledger keys', '/.well-known/jwks.json'],
    ['admin', '/admin'],
    ['metrics', '/metrics'],
    ['readiness', '/readyz'],
  ] as const;
  const listening = `[consentkit] ledger listening on ${url} (${context.store.kind} store, policy ${policy.id}@${policy.version})`;
  if (config.logFormat === 'json') {
    // One JSON event for a log shipper instead of a banner.
    logger.info(
      { store: context.store.kind, urls: Object.fromEntries(links.map(([k, p]) => [k, `${url}${p}`])) },
      listening,
    );
  } else {
    log(listening);
    for (const [label, path] of links) log(`  ${label.padEnd(13)} ${url}${path}`);
  }
  let stopping: Promise<void> | undefined;
  return {
    url,
    publicUrl: config.publicUrl ? opened.publicUrl : url,
    logger,
    stop() {
      stopping ??= gracefulStop({
        server,
        lifecycle: opened.operations.lifecycle,
        deadlineMs: config.shutdownDeadline,
        background: [
          () => partnerRunner?.stop() ?? Promise.resolve(),
          () => purgeJob.stop(),
          () => publisher?.stop() ?? Promise.resolve(),
          () => {
            warming.abort();
            return warm.then(() => undefined);
          },
          // The CLI's socket closes with the listener (a command still connected is told so).
          () => commands?.close() ?? Promise.resolve(),
        ],
        closeStore: opened.close,
        log: logger,
      });
      return stopping;
    },
  };
}

/** Stops on the first Ctrl-C / SIGTERM (draining, see RunningServer.stop); a second one exits at once. */
export function stopOnSignals(server: RunningServer): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) process.exit(130);
    signalled = true;
    server.logger.info({ signal }, 'stopping');
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        server.logger.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
