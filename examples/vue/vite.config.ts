// Vite builds the example into dist/ (served by `pnpm start` at /examples/vue/dist/). Two pages:
// index.html is a single-file-component app compiled at build time, where the custom-element
// rule is the Vue plugin's `compilerOptions.isCustomElement`; in-browser.html compiles its
// template in the browser, where the same rule is `app.config.compilerOptions.isCustomElement`.
import vue from '@vitejs/plugin-vue';
import { defaultClientConditions, defineConfig } from 'vite';

/** Every ConsentKit tag starts with `consent-`: Vue must leave them to the browser. */
const isCustomElement = (tag: string): boolean => tag.startsWith('consent-');

export default defineConfig({
  base: '/examples/vue/dist/',
  plugins: [vue({ template: { compilerOptions: { isCustomElement } } })],
  // In this repository the widget resolves to its TypeScript sources (an installed package
  // resolves to its built dist/ without this line).
  resolve: { conditions: ['@consentkit/source', ...defaultClientConditions] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rollupOptions: { input: { main: 'index.html', 'in-browser': 'in-browser.html' } },
  },
});
