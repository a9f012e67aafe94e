// Builds only the drop-in bundle (dist/consentkit.js and its lazy chunk) from the repo's
// rollup config; `pnpm build` builds it too. Used by the bundle-size test and for quick checks.
import { resolve } from 'node:path';
import { rollup } from 'rollup';

const root = resolve(import.meta.dirname, '../../..');

/** Builds the drop-in; returns the written file names. TypeScript diagnostics are the typecheck's job. */
export async function buildDropIn() {
  const cwd = process.cwd();
  process.chdir(root); // the config's paths are relative to the repository root
  try {
    const { widgetDropIn } = await import(resolve(root, 'rollup.config.mjs'));
    const bundle = await rollup({
      ...widgetDropIn,
      onwarn(warning, next) {
        if (warning.plugin === 'typescript') return;
        next(warning);
      },
    });
    try {
      const { output } = await bundle.write(widgetDropIn.output);
      // What earlier builds left is removed by the config's own consentkit-widget-drop-stale.
      const written = output.map((chunk) => chunk.fileName);
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
