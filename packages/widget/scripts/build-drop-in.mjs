// Builds only the drop-in bundle (dist/consentkit.js and its lazy chunk) from the repo's
// rollup config; `pnpm build` builds it too. Used by the bundle-size test and for quick checks.
import { readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { rollup } from 'rollup';

const root = resolve(import.meta.dirname, '../../..');

/** Builds the drop-in; returns the written file names. TypeScript diagnostics are the typecheck's job. */
export async function buildDropIn() {
  const cwd = process.cwd();
  process.chdir(root); // the config's paths are relative to the repository root
  try {
    const { widgetDropIn } = await import(resolve(root, 'rollup.config.mjs'));
    const dist = resolve(root, widgetDropIn.output.dir);
    const bundle = await rollup({
      ...widgetDropIn,
      onwarn(warning, next) {
        if (warning.plugin === 'typescript') return;
        next(warning);
      },
    });
    try {
      const { output } = await bundle.write(widgetDropIn.output);
      const written = output.map((chunk) => chunk.fileName);
      // Lazy chunks carry a content hash: drop what earlier builds left (and its compressed
      // copies), so sizes are measured on this build. Removed after the write, never before, so
      // the drop-in's files are never missing while another test reads them.
      const kept = new Set(written.flatMap((name) => [name, `${name}.gz`, `${name}.br`]));
      for (const file of readdirSync(dist, { withFileTypes: true })) {
        if (file.isFile() && file.name.startsWith('consentkit') && !kept.has(file.name)) rmSync(join(dist, file.name));
      }
      return written;
    } finally {
      await bundle.close();
    }
  } finally {
    process.chdir(cwd);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log((await buildDropIn()).join('\n'));
}
