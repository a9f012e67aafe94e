// The hosted pages as one Hono app, mounted at '/' by runtime/app.ts: /u/{token} (unsubscribe and
// RFC 8058 one-click), /p/{token} (preference centre), /c/{token} (confirming a pending grant),
// /.well-known/gpc.json and / (what this server is). Middleware is registered on these paths only,
// so mounting at '/' leaves the ledger API's headers alone.
import { Hono } from 'hono';
import { bodyLimit } from '../platform/http/body-limit.js';
import { createCsrf } from '../platform/http/csrf.js';
import { secureHeaders } from '../platform/http/secure-headers.js';
import { fallbackLogger } from '../platform/observability/logger.js';
import { registerConfirmRoutes } from './confirm-routes.js';
import { registerHomePage } from './home-page.js';
import {
  errorPage,
  type HostedEnv,
  type HostedPageDeps,
  type HostedRuntime,
  localeOf,
  notFound,
} from './hosted-shared.js';
import { registerPreferenceRoutes } from './preferences-routes.js';
import { registerUnsubscribeRoutes } from './unsubscribe-routes.js';
import { registerWellKnownGpc } from './well-known-gpc.js';

export type { HostedPageDeps } from './hosted-shared.js';

export const DEFAULT_WIDGET_SCRIPT = '/assets/consentkit.js';
// A one-click body is 26 bytes and the preference and confirmation forms well under 1 KiB; anything far larger is
// not a person or a mailbox provider.
const MAX_FORM_BYTES = 16 * 1024;

export type HostedPageOptions = HostedPageDeps & {
  /** Called with unexpected errors; the person sees a friendly page, never the error. */
  onError?: ((error: unknown) => void) | undefined;
};

export function createHostedPageRoutes(deps: HostedPageOptions): Hono<HostedEnv> {
  const now = deps.now;
  const rt: HostedRuntime = {
    deps,
    csrf: createCsrf({ key: deps.csrfKey, ...(now ? { now: () => now().getTime() } : {}) }),
    scriptSrc: deps.widgetScript === false ? undefined : (deps.widgetScript ?? DEFAULT_WIDGET_SCRIPT),
  };
  const report = deps.onError ?? ((error: unknown) => fallbackLogger().error({ err: error }, 'hosted page failed'));
  const app = new Hono<HostedEnv>();

  for (const path of ['/u/*', '/p/*', '/c/*']) {
    app.use(path, secureHeaders());
    app.on('POST', path, bodyLimit({ maxSize: MAX_FORM_BYTES, onError: (c) => errorPage(c, 413, localeOf(c)) }));
  }
  app.use('/.well-known/gpc.json', secureHeaders({ noStore: false }));

  registerUnsubscribeRoutes(app, rt);
  registerPreferenceRoutes(app, rt);
  registerConfirmRoutes(app, rt);
  registerWellKnownGpc(app);
  registerHomePage(app, rt);
  // Anything else under /u, /p or /c (no token, extra segments, other methods) is the same 404 as
  // a bad token, so the page set reveals nothing about its routes either.
  app.all('/u/*', (c) => notFound(c));
  app.all('/p/*', (c) => notFound(c));
  app.all('/c/*', (c) => notFound(c));

  app.onError((error, c) => {
    report(error);
    return errorPage(c, 500, localeOf(c));
  });
  return app;
}
