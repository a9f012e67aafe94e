// GET /assets/<file>: the widget's built drop-in (consentkit.js and its lazily loaded chunks),
// which the hosted pages load and which other sites load from the ledger with one tag. A narrow,
// product-owned route: the files are found through the @consentkit/widget package, only the
// drop-in's own file names are answered, and a folder is never listed.
//
// Public static files, read by pages on any origin: `Access-Control-Allow-Origin: *` (a module
// script is always fetched in CORS mode; no credentials are involved) and
// `Cross-Origin-Resource-Policy: cross-origin` (pages under COEP may embed them). The gzip and
// brotli copies are made at build time (packages/widget/scripts/precompress.mjs); this route only
// picks one by Accept-Encoding and never compresses per request.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono } from 'hono';

export const WIDGET_ASSETS_PATH = '/assets';

/** The drop-in's entry: the one file a page names, so its name never changes between builds. */
export const DROP_IN_ENTRY = 'consentkit.js';

/** consentkit.js, its chunks (consentkit-<name>-<hash>.js) and their source maps; nothing else. */
const DROP_IN_FILE = /^consentkit(?:-[\w-]+)?\.js(?:\.map)?$/;

/**
 * Chunk names carry a content hash (rollup's `consentkit-[name]-[hash].js`): a new build is a new
 * name, so a browser may keep one for a year unasked. The entry and its map keep their names, so
 * every use revalidates (`no-cache` with an ETag: a 304 costs a few hundred bytes). A short max-age
 * would let a browser pair a cached old entry with chunks a new build has removed.
 */
export const CACHE_CONTROL = {
  hashed: 'public, max-age=31536000, immutable',
  entry: 'public, no-cache',
} as const;

/** Encodings made at build time, in the order preferred when the client accepts several. */
const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;

/**
 * The widget's dist folder, found from the package's own entry (its export map does not expose
 * package.json): the nearest folder above that entry whose package.json names @consentkit/widget.
 * Undefined when the package cannot be resolved.
 */
export function resolveWidgetDist(): string | undefined {
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve('@consentkit/widget');
  } catch {
    return undefined;
  }
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === '@consentkit/widget'
    ) {
      return join(dir, 'dist');
    }
  }
  return undefined;
}

/** The Subresource Integrity value of a file's bytes (`sha384-<base64>`), as a page's `integrity` attribute takes it. */
export function subresourceIntegrity(bytes: Uint8Array): string {
  return `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
}

export type WidgetAssetOptions = {
  /** The folder holding the built drop-in; default: the @consentkit/widget package's dist/. */
  readonly dir?: string | undefined;
};

const MEDIA: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
};

/** The encodings a client accepts with a q above 0 (RFC 9110 §12.5.3); `*` accepts any. */
function acceptedEncodings(header: string | undefined): Set<string> {
  const accepted = new Set<string>();
  for (const part of (header ?? '').split(',')) {
    const [token = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (token && (q === undefined || Number(q.slice(2)) > 0)) accepted.add(token);
  }
  return accepted;
}

type Representation = { readonly path: string; readonly encoding: string | undefined; readonly etag: string };

// Strong ETags per representation (file content plus encoding), remembered per file version.
const etags = new Map<string, { readonly version: string; readonly etag: string }>();
function etagOf(path: string, mtimeMs: number, size: number, encoding: string | undefined): string {
  const version = `${mtimeMs}:${size}`;
  const known = etags.get(path);
  if (known?.version === version) return known.etag;
  const digest = createHash('sha256').update(readFileSync(path)).digest('base64url').slice(0, 27);
  const etag = `"${digest}${encoding ? `-${encoding}` : ''}"`;
  etags.set(path, { version, etag });
  return etag;
}

/**
 * The bytes to send: a precompressed copy the client accepts, when one exists and is not older
 * than the file (a copy left by an earlier build is never served), else the file itself.
 */
function pickRepresentation(file: string, acceptEncoding: string | undefined): Representation {
  const source = statSync(file);
  const accepted = acceptedEncodings(acceptEncoding);
  for (const { name, suffix } of ENCODINGS) {
    if (!accepted.has(name) && !accepted.has('*')) continue;
    const copy = statSync(`${file}${suffix}`, { throwIfNoEntry: false });
    if (copy?.isFile() && copy.mtimeMs >= source.mtimeMs) {
      return {
        path: `${file}${suffix}`,
        encoding: name,
        etag: etagOf(`${file}${suffix}`, copy.mtimeMs, copy.size, name),
      };
    }
  }
  return { path: file, encoding: undefined, etag: etagOf(file, source.mtimeMs, source.size, undefined) };
}

/** If-None-Match matches (weak comparison, RFC 9110 §13.1.2): the client's copy is current. */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}

export function createWidgetAssetRoutes(options: WidgetAssetOptions = {}): Hono {
  const dir = options.dir ?? resolveWidgetDist();
  const app = new Hono();
  // GET also answers HEAD (Hono runs the GET handler and drops the body), with the same headers.
  app.get(`${WIDGET_ASSETS_PATH}/:file`, (c) => {
    const name = c.req.param('file');
    const file = dir === undefined || !DROP_IN_FILE.test(name) ? undefined : join(dir, name);
    if (file === undefined || !existsSync(file) || !statSync(file).isFile()) {
      const hint =
        name === DROP_IN_ENTRY ? ' The widget bundle has not been built: run `pnpm build` (or `pnpm start`).' : '';
      return c.text(`Not found.${hint}`, 404, { 'x-content-type-options': 'nosniff' });
    }
    const chosen = pickRepresentation(file, c.req.header('accept-encoding'));
    const entry = name === DROP_IN_ENTRY || name === `${DROP_IN_ENTRY}.map`;
    const headers: Record<string, string> = {
      'access-control-allow-origin': '*',
      'cross-origin-resource-policy': 'cross-origin',
      'cache-control': entry ? CACHE_CONTROL.entry : CACHE_CONTROL.hashed,
      etag: chosen.etag,
      vary: 'Accept-Encoding',
      'x-content-type-options': 'nosniff',
    };
    if (matches(c.req.header('if-none-match'), chosen.etag)) return c.body(null, 304, headers);
    const bytes = readFileSync(chosen.path);
    return c.body(bytes, 200, {
      ...headers,
      'content-type': MEDIA[name.endsWith('.map') ? '.map' : '.js'] ?? 'application/octet-stream',
      'content-length': String(bytes.length),
      ...(chosen.encoding ? { 'content-encoding': chosen.encoding } : {}),
    });
  });
  return app;
}
