import { openStore } from '../platform/store/open-store.js';
import { loadPolicyFile } from '../policy/policy-file.js';
import { createApp, type ExtraRoute, type StaticMount } from './app.js';
import { publicUrlOf, resolveMasterKey, type ServerConfig } from './config.js';
import { createLedgerContext, type LedgerContext } from './context.js';

export type OpenedServer = {
  readonly context: LedgerContext;
  readonly app: ReturnType<typeof createApp>;
  readonly publicUrl: string;
  readonly warnings: readonly string[];
  close(): Promise<void>;
};

/** Store, keys, policy and app from a configuration — everything but the port (main.ts). */
export async function openServer(
  config: ServerConfig,
  extra: { readonly staticMounts?: readonly StaticMount[]; readonly routes?: readonly ExtraRoute[] } = {},
): Promise<OpenedServer> {
  const policy = loadPolicyFile(config.policyFile);
  const master = resolveMasterKey(config);
  const store = await openStore(config);
  try {
    const context = await createLedgerContext({
      store,
      masterKey: master.key,
      policy,
      checkpointEvery: config.checkpointEvery,
    });
    const publicUrl = publicUrlOf(config);
    const staticMounts = [...(extra.staticMounts ?? [])];
    if (config.examplesDir) staticMounts.push({ path: '/examples', target: config.examplesDir });
    // The widget bundle the hosted pages load (DEFAULT_WIDGET_SCRIPT is /assets/consentkit.js).
    if (config.assetsDir) staticMounts.push({ path: '/assets', target: config.assetsDir });
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
      staticMounts,
      ...(extra.routes ? { routes: extra.routes } : {}),
    });
    const warnings = master.warning ? [master.warning] : [];
    if (!config.apiKey) {
      warnings.push(
        '[consentkit] no CONSENTKIT_API_KEY: /v1/subjects accepts only keys made with `consentkit keys api create`.',
      );
    }
    return { context, app, publicUrl, warnings, close: () => store.close() };
  } catch (error) {
    await store.close().catch(() => {});
    throw error;
  }
}
