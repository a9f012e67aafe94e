import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ExtraRoute } from '../runtime/app.js';

type ApplicationModule = {
  APPLICATION_PATH?: unknown;
  handleApplication?: unknown;
};

/**
 * The examples' own server-side handlers, mounted by `serve` when it serves the examples folder:
 * today the application form's POST (`examples/application-form/handler.ts`). Loading .ts needs
 * tsx in the loop, which `pnpm start` provides; anything missing or malformed is skipped.
 */
export async function loadExampleRoutes(examplesDir: string, warn: (line: string) => void): Promise<ExtraRoute[]> {
  const file = join(examplesDir, 'application-form', 'handler.ts');
  if (!existsSync(file)) return [];
  try {
    const mod = (await import(pathToFileURL(file).href)) as ApplicationModule;
    const { APPLICATION_PATH: path, handleApplication: handler } = mod;
    if (typeof path !== 'string' || typeof handler !== 'function') return [];
    return [{ method: 'POST', path, handler: handler as ExtraRoute['handler'] }];
  } catch (error) {
    warn(`[consentkit] could not load ${file}: ${error instanceof Error ? error.message : String(error)}`);
    return [];
  }
}
