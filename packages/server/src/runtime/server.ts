import { type ServerType, serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { startPartnerRunner } from '../partners/partner-runner.js';
import { openStore } from '../platform/store/open-store.js';
import { loadPolicyFile } from '../policy/policy-file.js';
import { startPurgeJob } from '../retention/purge-job.js';
import { createApp, type ExtraRoute } from './app.js';
import { publicUrlOf, resolveMasterKey, type ServerConfig } from './config.js';
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
};

export type RunningServer = {
  /** Where the listener is, e.g. `http://127.0.0.1:8787`. */
  readonly url: string;
  /** PUBLIC_URL when configured, else `url`. */
  readonly publicUrl: string;
  /** Stops the background jobs and the listener, then closes the store. */
  stop(): Promise<void>;
};

export type OpenedServer = {
  readonly context: LedgerContext;
  /** The whole HTTP surface; `app.fetch` is a `(Request) => Promise<Response>`. */
  readonly app: Hono;
  /** The origin links are built on (PUBLIC_URL, else the configured listener). */
  readonly publicUrl: string;
  /** What the operator should know before trusting this start (a development master key, …). */
  readonly warnings: readonly string[];
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
    });
  } catch (error) {
    await store.close().catch(() => {});
    throw error;
  }
  const publicUrl = publicUrlOf(config);
  const app = createApp({
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
      trustProxy: config.trustProxy,
    },
    ...(options.routes ? { routes: options.routes } : {}),
  });
  const warnings = master.warning ? [master.warning] : [];
  if (!config.apiKey) {
    warnings.push(
      '[consentkit] no CONSENTKIT_API_KEY: /v1/subjects accepts only keys made with `consentkit keys api create`.',
    );
  }
  const close = () => store.close();
  return {
    context,
    app,
    publicUrl,
    warnings,
    close,
    listen: () =>
      listen(config, { context, app, publicUrl, warnings, close }, options.log ?? ((line) => console.log(line))),
  };
}

/** `openServer(config, options)` and `listen()`, printing the warnings first. */
export async function startServer(config: ServerConfig, options: ServerOptions = {}): Promise<RunningServer> {
  const server = await openServer(config, options);
  for (const warning of server.warnings) console.warn(warning);
  try {
    return await server.listen();
  } catch (error) {
    await server.close().catch(() => {});
    throw error;
  }
}

type Opened = Pick<OpenedServer, 'context' | 'app' | 'publicUrl' | 'warnings' | 'close'>;

/**
 * On the embedded store, the socket `consentkit` commands reach this server on (cli/cli-bridge.ts):
 * the folder is ours alone, so the CLI runs its commands here. Loaded lazily: the CLI's registry
 * imports this module.
 */
async function startCommands(opened: Opened, url: string, publicUrl: string) {
  const lock = opened.context.store.lock;
  if (!lock) return undefined;
  const [{ startCommandSocket }, { runCli }] = await Promise.all([
    import('../cli/cli-bridge.js'),
    import('../cli/consentkit.js'),
  ]);
  const server: OpenedServer = {
    ...opened,
    publicUrl, // the listener's real address when PUBLIC_URL is unset (port 0 is known only now)
    listen: () => Promise.reject(new Error('already listening')),
    close: async () => {}, // the listener's stop() closes the store, never a command
  };
  return startCommandSocket({ server, lock, url, run: runCli });
}

async function listen(config: ServerConfig, opened: Opened, log: (line: string) => void): Promise<RunningServer> {
  const { context } = opened;
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: opened.app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  let commands: Awaited<ReturnType<typeof startCommands>>;
  try {
    commands = await startCommands(opened, url, config.publicUrl ? opened.publicUrl : url);
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
          log: (line) => console.error(line),
        });
  const purgeJob = startPurgeJob({ context, intervalMs: config.purgeInterval });
  const policy = context.policies.current;
  log(`[consentkit] ledger listening on ${url} (${context.store.kind} store, policy ${policy.id}@${policy.version})`);
  for (const [label, path] of [
    ['policy', '/v1/policy'],
    ['API document', '/v1/openapi.json'],
    ['ledger keys', '/.well-known/jwks.json'],
    ['admin', '/admin'],
  ] as const) {
    log(`  ${label.padEnd(13)} ${url}${path}`);
  }
  let stopping: Promise<void> | undefined;
  return {
    url,
    publicUrl: config.publicUrl ? opened.publicUrl : url,
    stop() {
      stopping ??= (async () => {
        await partnerRunner?.stop();
        await purgeJob.stop();
        await commands?.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Keep-alive connections would hold close() open; idle ones can go at once.
          if ('closeIdleConnections' in server) server.closeIdleConnections();
        });
        await opened.close();
      })();
      return stopping;
    },
  };
}

/** Stops on the first Ctrl-C / SIGTERM; a second one exits at once. */
export function stopOnSignals(server: RunningServer, log: (line: string) => void = console.log): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) process.exit(130);
    signalled = true;
    log(`\n[consentkit] ${signal}: stopping…`);
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('[consentkit] stop failed:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
