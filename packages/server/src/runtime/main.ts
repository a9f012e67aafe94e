import { pathToFileURL } from 'node:url';
import { type ServerType, serve } from '@hono/node-server';
import { startPartnerRunner } from '../partners/partner-runner.js';
import { startPurgeJob } from '../retention/purge-job.js';
import type { ExtraRoute, StaticMount } from './app.js';
import { ConfigError, loadConfig, type ServerConfig } from './config.js';
import { openServer } from './server.js';

/** The only file that opens a port. */
export type RunningServer = { readonly url: string; readonly publicUrl: string; stop(): Promise<void> };

export async function startServer(
  config: ServerConfig,
  extra: {
    readonly staticMounts?: readonly StaticMount[];
    readonly routes?: readonly ExtraRoute[];
    readonly log?: (line: string) => void;
  } = {},
): Promise<RunningServer> {
  const log = extra.log ?? ((line: string) => console.log(line));
  const opened = await openServer(config, {
    ...(extra.staticMounts ? { staticMounts: extra.staticMounts } : {}),
    ...(extra.routes ? { routes: extra.routes } : {}),
  });
  for (const warning of opened.warnings) console.warn(warning);
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: opened.app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
    s.once('error', reject);
  });
  // Partner webhooks run beside the listener only (never in CLI commands, which also open the store),
  // and only once the port is ours, so a failed start leaves nothing running.
  const partnerRunner =
    config.partnerWebhooksInterval === 'off'
      ? undefined
      : startPartnerRunner({
          store: opened.context.store,
          ledger: opened.context.ledger,
          registry: opened.context.partners,
          policy: opened.context.policies.current,
          intervalMs: config.partnerWebhooksInterval,
          worker: { maxAttempts: config.partnerWebhooksMaxAttempts },
          log: (line) => console.error(line),
        });
  // Retention (issue 7): the daily purge, beside the listener only, like the partner runner.
  const purgeJob = startPurgeJob({ context: opened.context, intervalMs: config.purgeInterval });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  log(
    `[consentkit] ledger listening on ${url} (${opened.context.store.kind} store, policy ${opened.context.policies.current.id}@${opened.context.policies.current.version})`,
  );
  const links = [
    ['policy', '/v1/policy'],
    ['API document', '/v1/openapi.json'],
    ['ledger keys', '/.well-known/jwks.json'],
    ...(config.examplesDir ? [['examples', '/examples/']] : []),
  ];
  for (const [label, path] of links) log(`  ${label?.padEnd(13)} ${url}${path}`);
  log('  unsubscribe link for an address: pnpm consentkit link --email you@example.com --purpose marketing');
  log('  Ctrl-C stops the server.');
  let stopping: Promise<void> | undefined;
  return {
    url,
    publicUrl: config.publicUrl ? opened.publicUrl : url,
    stop() {
      stopping ??= (async () => {
        await partnerRunner?.stop();
        await purgeJob.stop();
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

/** `node main.ts [flags]`: configuration from the environment and flags. */
export async function runMain(argv: readonly string[]): Promise<number> {
  try {
    const server = await startServer(loadConfig({ argv }));
    stopOnSignals(server);
    return 0;
  } catch (error) {
    console.error(
      error instanceof ConfigError
        ? error.message
        : `[consentkit] could not start: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const code = await runMain(process.argv.slice(2));
  if (code !== 0) process.exit(code);
}
