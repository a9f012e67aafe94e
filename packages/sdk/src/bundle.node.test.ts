/**
 * The browser entry, bundled the way a site's bundler would (browser conditions, core from
 * source, minified), must carry no zod and no Node-only code. Prints its gzip size for the
 * issue note.
 */
import { dirname, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terserModule from '@rollup/plugin-terser';
import { expect } from 'chai';
import { type Plugin, rollup } from 'rollup';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '../../..');

/** These plugins ship CJS-style typings; at runtime the ESM build hands us the function itself. */
function interop<M>(module: M): M extends { default: infer D } ? D : M {
  return ((module as { default?: unknown }).default ?? module) as M extends { default: infer D } ? D : M;
}
const terser = interop(terserModule);

/**
 * TypeScript → JavaScript per file. @rollup/plugin-typescript type-checks the whole program
 * (~45 s here); `pnpm typecheck` already does that, so this test only strips types.
 */
const stripTypes: Plugin = {
  name: 'strip-types',
  // Sources import `./x.js` for what is `./x.ts` on disk (NodeNext style).
  resolveId(source, importer) {
    if (!importer?.endsWith('.ts') || !source.startsWith('.') || !source.endsWith('.js')) return null;
    return resolve(dirname(importer), source.replace(/\.js$/, '.ts'));
  },
  transform(code, id) {
    if (!id.endsWith('.ts')) return null;
    const { outputText } = ts.transpileModule(code, {
      fileName: id,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    });
    return { code: outputText, map: null };
  },
};

async function bundle(entry: string, { minify = true } = {}): Promise<string> {
  const build = await rollup({
    input: resolve(root, entry),
    plugins: [
      nodeResolve({
        exportConditions: ['@consentkit/source', 'browser', 'module', 'import'],
        browser: true,
        extensions: ['.ts', '.mjs', '.js'],
      }),
      stripTypes,
      ...(minify ? [terser()] : []),
    ],
    external: (id) => id.startsWith('node:'),
    onwarn: () => undefined,
  });
  const { output } = await build.generate({ format: 'es', inlineDynamicImports: true });
  await build.close();
  return output.map((chunk) => (chunk.type === 'chunk' ? chunk.code : '')).join('\n');
}

describe('sdk browser bundle', () => {
  it('has no zod and no node: imports, and reports its gzip size', async () => {
    const code = await bundle('packages/sdk/src/index.ts');
    expect(code).not.to.match(/zod/i);
    expect(code).not.to.match(/node:/);
    expect(code).not.to.match(/from\s*["'](fs|path|crypto|os)["']/);
    expect(code).to.contain('sendBeacon');
    const gzip = gzipSync(code, { level: 9 }).byteLength;
    console.log(`[size] @consentkit/sdk browser entry (with core): ${code.length} B min, ${gzip} B gzip`);
    expect(gzip).to.be.below(30 * 1024); // headroom ceiling; the real budget lives in scripts/
  });

  it('the node entry is where node: lives', async () => {
    const code = await bundle('packages/sdk/src/node.ts', { minify: false });
    expect(code).to.match(/node:fs/);
  });
});
