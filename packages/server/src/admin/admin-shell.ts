import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The /admin page: a static HTML shell that loads the dashboard bundle (packages/admin) and
 * nothing else. It holds no data and no secret, so it is the same for everyone and can be served
 * without a key; the dashboard asks for the API key in the page and sends it only as an
 * Authorization header on fetch() calls to /v1/admin/* (docs/privacy-operations.md).
 */
export const ADMIN_SCRIPT_PATH = '/admin/admin.js';

/** Where `node packages/admin/scripts/build.mjs` writes the bundle (same depth from src/ and dist/). */
export const DEFAULT_ADMIN_BUNDLE = fileURLToPath(new URL('../../../admin/dist/admin.js', import.meta.url));

/**
 * Stricter than the hosted pages: no inline script or style at all, the one script from our own
 * origin, fetch() only to our own origin. Lit's styles are constructed stylesheets
 * (adoptedStyleSheets), which style-src does not govern, so no style source is needed.
 */
export const ADMIN_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'none'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

export const ADMIN_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': ADMIN_CSP,
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  'cache-control': 'no-store',
};

/** English only (the dashboard is an operator tool; the hosted pages are the bilingual ones). */
export function renderAdminShell(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>ConsentKit admin</title>
<script type="module" src="${ADMIN_SCRIPT_PATH}"></script>
</head>
<body>
<consent-admin-app>
<main><h1>ConsentKit admin</h1><p>The dashboard has not loaded. It needs JavaScript and its bundle, /admin/admin.js (<code>pnpm build</code> makes it). The same figures are available from the API under /v1/admin/.</p></main>
</consent-admin-app>
</body>
</html>
`;
}

/** The built bundle, or undefined when it has not been built. */
export function readAdminBundle(file: string): Buffer | undefined {
  if (!existsSync(file) || !statSync(file).isFile()) return undefined;
  return readFileSync(file);
}
