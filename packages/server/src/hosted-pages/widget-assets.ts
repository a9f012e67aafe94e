// GET /assets/<file>: the widget's built drop-in (consentkit.js and its lazily loaded chunks),
// which the hosted pages load. A narrow, product-owned route: the files are found through the
// @consentkit/widget package, only the drop-in's own file names are answered, and a folder is
// never listed.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono } from 'hono';

export const WIDGET_ASSETS_PATH = '/assets';

/** consentkit.js, its chunks (consentkit-<name>-<hash>.js) and their source maps; nothing else. */
const DROP_IN_FILE = /^consentkit(?:-[\w-]+)?\.js(?:\.map)?$/;

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

export type WidgetAssetOptions = {
  /** The folder holding the built drop-in; default: the @consentkit/widget package's dist/. */
  readonly dir?: string | undefined;
};

const MEDIA: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
};

export function createWidgetAssetRoutes(options: WidgetAssetOptions = {}): Hono {
  const dir = options.dir ?? resolveWidgetDist();
  const app = new Hono();
  app.get(`${WIDGET_ASSETS_PATH}/:file`, (c) => {
    const name = c.req.param('file');
    const file = dir === undefined || !DROP_IN_FILE.test(name) ? undefined : join(dir, name);
    if (file === undefined || !existsSync(file) || !statSync(file).isFile()) {
      const hint =
        name === 'consentkit.js' ? ' The widget bundle has not been built: run `pnpm build` (or `pnpm start`).' : '';
      return c.text(`Not found.${hint}`, 404, { 'x-content-type-options': 'nosniff' });
    }
    return c.body(readFileSync(file), 200, {
      'content-type': MEDIA[name.endsWith('.map') ? '.map' : '.js'] ?? 'application/octet-stream',
      'x-content-type-options': 'nosniff',
    });
  });
  return app;
}
