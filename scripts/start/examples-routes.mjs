// The examples folder as extra routes of the ledger app, for `pnpm start` (and the end-to-end
// suites, which serve the same pages): files under the folder and never outside it, a folder
// without index.html listed so the examples have a front door. Not part of the server: a
// deployment serves its own pages.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';

const MEDIA = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
};
const HEADERS = { 'x-content-type-options': 'nosniff' };

const escapeHtml = (text) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** A folder's pages and subfolders as links. */
function listing(dir, pathname) {
  const base = pathname.endsWith('/') ? pathname : `${pathname}/`;
  const entries = readdirSync(dir, { withFileTypes: true })
    .filter(
      (e) => !e.name.startsWith('.') && e.name !== 'node_modules' && (e.isDirectory() || e.name.endsWith('.html')),
    )
    .map(
      (e) => `<li><a href="${escapeHtml(base + e.name)}${e.isDirectory() ? '/' : ''}">${escapeHtml(e.name)}</a></li>`,
    );
  const html = `<!doctype html><meta charset="utf-8"><title>${escapeHtml(base)}</title><h1>${escapeHtml(base)}</h1><ul>${entries.join('')}</ul>`;
  return new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8', ...HEADERS } });
}

/** The file for a request path under `prefix`, never outside `root` (`..` is resolved away before the check). */
function serve(root, prefix, pathname) {
  let rest;
  try {
    rest = decodeURIComponent(pathname.slice(prefix.length));
  } catch {
    return undefined;
  }
  let file = rest === '' ? root : resolve(join(root, normalize(rest)));
  if (file !== root && !file.startsWith(`${root}/`)) return undefined;
  if (existsSync(file) && statSync(file).isDirectory()) {
    if (!existsSync(join(file, 'index.html'))) return listing(file, pathname);
    file = join(file, 'index.html');
  }
  if (!existsSync(file) || !statSync(file).isFile()) return undefined;
  return new Response(readFileSync(file), {
    headers: { 'content-type': MEDIA[extname(file)] ?? 'application/octet-stream', ...HEADERS },
  });
}

/**
 * `GET <prefix>` and `GET <prefix>/*` serving `dir`, as the server's `ExtraRoute`s
 * (`{ method, path, handler(Request) }`).
 * @param {{ dir: string, prefix?: string }} options
 * @returns {{ method: 'GET', path: string, handler: (request: Request) => Response }[]}
 */
export function examplesRoutes({ dir, prefix = '/examples' }) {
  const root = resolve(dir);
  const handler = (request) =>
    serve(root, prefix, new URL(request.url).pathname) ??
    new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', ...HEADERS } });
  return [
    { method: 'GET', path: prefix, handler },
    { method: 'GET', path: `${prefix}/*`, handler },
  ];
}
