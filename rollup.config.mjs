// Browser/ESM bundles for every package that runs in browsers. Declarations come from tsc
// (scripts/build.mjs); the server is compiled by tsc alone (Node only).

import { resolve } from 'node:path';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

const ts = (pkg) =>
  typescript({
    tsconfig: `packages/${pkg}/tsconfig.json`,
    include: [resolve('packages/*/src/**/*.ts')],
    exclude: ['**/*.test.ts'],
    compilerOptions: {
      declaration: false,
      declarationMap: false,
      sourceMap: true,
      module: 'esnext',
      moduleResolution: 'bundler',
      outDir: resolve(`packages/${pkg}/dist`),
      rootDir: resolve(`packages/${pkg}/src`),
    },
  });

// Package builds keep their dependencies external: the consumer's bundler dedupes them.
const isExternal = (id) => /^(@consentkit\/|lit|@lit\/|zod)/.test(id);

/** @param {string} pkg @param {Record<string, string>} input */
const packageBuild = (pkg, input) => ({
  input,
  external: isExternal,
  output: {
    dir: `packages/${pkg}/dist`,
    format: 'es',
    sourcemap: true,
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
  },
  plugins: [ts(pkg)],
});

export default [
  packageBuild('core', { index: 'packages/core/src/index.ts', schema: 'packages/core/src/schema.ts' }),
  packageBuild('sdk', { index: 'packages/sdk/src/index.ts' }),
  packageBuild('widget', { index: 'packages/widget/src/index.ts', define: 'packages/widget/src/define.ts' }),
];

// Shared with the drop-in bundle config (the widget issue adds it) and the size checks.
export { nodeResolve, terser };
