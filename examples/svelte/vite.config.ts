// Vite with the Svelte plugin builds the example into dist/ (served by `pnpm start` at
// /examples/svelte/dist/). Svelte needs no custom-element setting: a tag with a dash is left to
// the browser, and its properties are set as properties once the element is defined.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defaultClientConditions, defineConfig } from 'vite';

export default defineConfig({
  base: '/examples/svelte/dist/',
  // Everything the plugin needs is here: no svelte.config.js to look for (and to say is missing).
  plugins: [svelte({ configFile: false })],
  // In this repository the widget resolves to its TypeScript sources (an installed package
  // resolves to its built dist/ without this line).
  resolve: { conditions: ['@consentkit/source', ...defaultClientConditions] },
  build: { outDir: 'dist', emptyOutDir: true },
});
