// Browser bundles the benches need: the product's own (built by the repository's rollup config,
// exactly as `pnpm build` makes them) and the bench pages' (the bare-Lit floor, the capture page).
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './paths.mjs';

/** The newest modification time of the non-test sources under `dirs` (to spot a stale dist). */
export function newestSource(dirs) {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name))
        newest = Math.max(newest, statSync(full).mtimeMs);
    }
  };
  for (const dir of dirs) if (existsSync(join(ROOT, dir))) walk(join(ROOT, dir));
  return newest;
}

const rollupConfig = () => import(pathToFileURL(join(ROOT, 'rollup.config.mjs')).href);

/**
 * Builds one config of rollup.config.mjs in memory (`generate`, never `write`): the same bytes
 * `pnpm build` would write, without touching packages/*\/dist that other people's tests read.
 * The widget manifest plugin is left out because it writes custom-elements.json.
 */
export async function buildInMemory(config) {
  const { rollup } = await import('rollup');
  const plugins = (config.plugins ?? []).filter((p) => p?.name !== 'consentkit-widget-manifest');
  const bundle = await rollup({
    ...config,
    plugins,
    onwarn(warning, next) {
      if (warning.plugin === 'typescript') return; // type errors are the typecheck's job
      next(warning);
    },
  });
  try {
    const { output } = await bundle.generate(config.output);
    return output
      .filter((o) => o.type === 'chunk')
      .map((o) => ({ fileName: o.fileName, code: o.code, imports: o.imports, isEntry: o.isEntry }));
  } finally {
    await bundle.close();
  }
}

/** The drop-in config and the package configs, keyed by their output folder. */
export async function productConfigs() {
  const mod = await rollupConfig();
  return { all: mod.default, dropIn: mod.widgetDropIn };
}

/** esbuild (already installed as tsx's dependency) strips types fast for the bench pages. */
async function esbuild() {
  // pnpm links tsx from its store folder, where its own dependencies sit beside it.
  const require = createRequire(realpathSync(join(ROOT, 'node_modules/tsx/package.json')));
  return import(pathToFileURL(require.resolve('esbuild')).href);
}

function stripTypes() {
  return {
    name: 'bench-strip-types',
    async transform(code, id) {
      if (!id.endsWith('.ts')) return null;
      const { transform } = await esbuild();
      const out = await transform(code, { loader: 'ts', format: 'esm', target: 'es2022', sourcefile: id });
      return { code: out.code, map: null };
    },
  };
}

/**
 * Bundles a bench page module for the browser: workspace packages from their TypeScript sources
 * (the `@consentkit/source` condition, as the drop-in does), Lit's production build, minified
 * with the drop-in's terser settings so the floor page is compared like for like.
 */
export async function bundlePage(entry, { minify = true } = {}) {
  const { rollup } = await import('rollup');
  const { default: nodeResolve } = await import('@rollup/plugin-node-resolve');
  const { default: terser } = await import('@rollup/plugin-terser');
  const bundle = await rollup({
    input: join(ROOT, entry),
    plugins: [
      nodeResolve({
        exportConditions: ['@consentkit/source', 'browser'],
        extensions: ['.ts', '.mjs', '.js'],
        // The bench folder has no node_modules of its own: resolve Lit and the workspace packages
        // as the widget package sees them.
        modulePaths: [join(ROOT, 'packages/widget/node_modules'), join(ROOT, 'packages/sdk/node_modules')],
      }),
      stripTypes(),
      ...(minify ? [terser({ ecma: 2022, module: true, compress: { passes: 3 }, format: { comments: false } })] : []),
    ],
    onwarn(warning, next) {
      if (warning.code === 'CIRCULAR_DEPENDENCY') return;
      next(warning);
    },
  });
  try {
    const { output } = await bundle.generate({ format: 'es', inlineDynamicImports: true });
    return output[0].code;
  } finally {
    await bundle.close();
  }
}

export const rel = (file) => relative(ROOT, file);
export const read = (file) => readFileSync(join(ROOT, file), 'utf8');

/**
 * The drop-in's files (consentkit.js and its lazy chunks) as `pnpm build` makes them: from
 * packages/widget/dist when that is newer than the sources, else built afresh in memory (the
 * smoke run accepts a stale dist to stay fast). Shared between benches through `ctx.shared`.
 */
export async function dropInFiles(ctx) {
  if (ctx.shared.has('dropIn')) return ctx.shared.get('dropIn');
  const dir = join(ROOT, 'packages/widget/dist');
  const names = existsSync(dir) ? readdirSync(dir).filter((f) => /^consentkit(-.*)?\.js$/.test(f)) : [];
  const main = join(dir, 'consentkit.js');
  const fresh =
    existsSync(main) &&
    statSync(main).mtimeMs >= newestSource(['packages/core/src', 'packages/sdk/src', 'packages/widget/src']);
  let result;
  if (existsSync(main) && (fresh || ctx.smoke)) {
    result = {
      files: new Map(names.map((n) => [n, readFileSync(join(dir, n), 'utf8')])),
      origin: fresh ? 'dist' : 'dist (stale)',
    };
  } else if (ctx.smoke) {
    // The smoke only needs a working drop-in, fast: type-stripped sources, not the shipped build.
    ctx.log('drop-in dist missing: a quick esbuild-stripped bundle for the smoke (not the shipped bytes)');
    result = {
      files: new Map([['consentkit.js', await bundlePage('packages/widget/src/define.ts')]]),
      origin: 'smoke bundle',
    };
  } else {
    ctx.log('drop-in dist missing or stale: building it with rollup.config.mjs (in memory)');
    const { dropIn } = await productConfigs();
    result = { files: new Map((await buildInMemory(dropIn)).map((o) => [o.fileName, o.code])), origin: 'fresh build' };
  }
  ctx.shared.set('dropIn', result);
  return result;
}
