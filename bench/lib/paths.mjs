// Where things are. The bench lives at the repository root, whose node_modules does not hold the
// workspace packages (pnpm links them only into their dependents), so workspace sources are
// imported by path and their dependencies resolved from the package that declares them.
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = resolve(import.meta.dirname, '../..');
export const POLICY_FILE = join(ROOT, 'examples/policies/allstream.json');

/** A module URL for a repository-relative path (TypeScript sources run through tsx). */
export const src = (path) => pathToFileURL(join(ROOT, path)).href;

export const core = () => import(src('packages/core/src/index.ts'));

/** Imports a dependency as the package that declares it would see it. */
export async function importFrom(pkgDir, specifier) {
  const require = createRequire(join(ROOT, pkgDir, 'package.json'));
  return import(pathToFileURL(require.resolve(specifier)).href);
}
