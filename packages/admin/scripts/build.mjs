// Builds the dashboard into ONE minified static ES module, packages/admin/dist/admin.js (Lit
// inside, production build), which the server serves at /admin/admin.js. Uses rollup's JS API
// with the plugins the repository's rollup.config.mjs uses; `pnpm build` runs it too.
import { mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { rollup } from 'rollup';

const root = resolve(import.meta.dirname, '../../..');
const pkg = resolve(root, 'packages/admin');
const dist = resolve(pkg, 'dist');

/** Builds dist/admin.js (and its source map); returns the written file names. */
export async function buildAdmin() {
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  const bundle = await rollup({
    input: resolve(pkg, 'src/define.ts'),
    // One file: nothing is split out, dynamic imports included.
    onwarn(warning, next) {
      if (warning.plugin === 'typescript') return; // diagnostics are the typecheck's job
      next(warning);
    },
    plugins: [
      // 'production' is explicit so Lit's development build never ships (NODE_ENV may say otherwise).
      nodeResolve({
        exportConditions: ['@consentkit/source', 'browser', 'production'],
        extensions: ['.ts', '.mjs', '.js'],
      }),
      typescript({
        tsconfig: resolve(pkg, 'tsconfig.build.json'),
        // The widget's element base is bundled from its TypeScript source, like admin's own.
        include: [resolve(root, 'packages/*/src/**/*.ts')],
        compilerOptions: {
          declaration: false,
          declarationMap: false,
          sourceMap: true,
          module: 'esnext',
          moduleResolution: 'bundler',
          outDir: dist,
          rootDir: resolve(root, 'packages'),
        },
      }),
      terser({ ecma: 2022, module: true, compress: { passes: 2 }, format: { comments: false } }),
    ],
  });
  try {
    const { output } = await bundle.write({
      file: resolve(dist, 'admin.js'),
      format: 'es',
      sourcemap: true,
      inlineDynamicImports: true,
    });
    return output.map((chunk) => chunk.fileName);
  } finally {
    await bundle.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = Date.now();
  const files = await buildAdmin();
  console.log(`admin: ${files.join(', ')} (${Date.now() - started} ms)`);
}
