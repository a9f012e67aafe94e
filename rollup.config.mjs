// Browser/ESM bundles for every package that runs in browsers. Declarations come from tsc
// (scripts/build.mjs); the server is compiled by tsc alone (Node only).

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

// Each package's tsconfig.build.json lists its public entries only, so nothing a test or fixture
// imports is in the program; rollup itself bundles only what an entry reaches.
const ts = (pkg) =>
  typescript({
    tsconfig: `packages/${pkg}/tsconfig.build.json`,
    include: [resolve('packages/*/src/**/*.ts')],
    compilerOptions: {
      declaration: false,
      declarationMap: false,
      emitDeclarationOnly: false,
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
    // No bare `import '@consentkit/sdk'` copied up from a chunk into each entry: that hoisting
    // speeds up loading unbundled in a browser, but these builds are read by bundlers, and a
    // bundler (esbuild in Angular's builder) warns that it ignores a bare import of a package
    // that declares `"sideEffects": false`.
    hoistTransitiveImports: false,
  },
  plugins: [ts(pkg)],
});

// --- widget ------------------------------------------------------------------------------------

// Swaps the widget's DEV flag for `false`, so verbose developer warnings never ship (check-size
// lists them as must-not-appear). Sources keep DEV on for tests.
const widgetProduction = () => ({
  name: 'consentkit-widget-production',
  load(id) {
    return id.replaceAll('\\', '/').endsWith('packages/widget/src/internal/dev.ts')
      ? 'export const DEV = false;\n'
      : null;
  },
});

/**
 * Minifies the CSS inside the widget's `css` tagged templates (terser leaves template text
 * alone): drops comments and indentation, keeping every rule. Commas keep their space, because
 * inside var() fallbacks the browser keeps it in the serialised value: with that, each stylesheet
 * parses to the same CSSOM as its source. The styles hold no `${}` interpolations and no quoted
 * strings; a template with either is left as written.
 */
export function minifyCssText(text) {
  const noComments = text.replace(/\/\*[\s\S]*?\*\//g, '');
  return noComments
    .replace(/\s+/g, ' ')
    .replace(/ ?([{};]) ?/g, '$1')
    .replace(/: /g, ':')
    .replace(/;}/g, '}')
    .trim();
}

/**
 * The record path (widget/src/internal/record-path.ts: the SDK client, core's record building and
 * signing, outbox, transport) as a chunk of its own, `consentkit-record-<hash>.js`, and its URL
 * in the entry (internal/record-path-url.ts), so the elements preload it with
 * `<link rel="modulepreload">` once they are usable and evaluate it later.
 */
const DROP_IN_INPUT = 'packages/widget/src/define.ts';
const RECORD_PATH = resolve(import.meta.dirname, 'packages/widget/src/internal/record-path.ts');
const widgetRecordPath = () => {
  let ref = '';
  return {
    name: 'consentkit-widget-record-path',
    buildStart() {
      // Loaded only after the entry (which imports it too): what the entry holds stays in the entry.
      ref = this.emitFile({
        type: 'chunk',
        id: RECORD_PATH,
        name: 'record',
        implicitlyLoadedAfterOneOf: [DROP_IN_INPUT],
      });
    },
    // V8's explicit compile hint (Chromium 136+; a plain comment elsewhere): the whole chunk is
    // compiled when it loads (at idle or at the first interaction, off the main thread where it
    // can), not function by function on the main thread during the first submit, which runs
    // nearly all of it. After the minifier, which drops comments; the map moves down one line.
    generateBundle(_, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk' || chunk.facadeModuleId !== RECORD_PATH) continue;
        chunk.code = `//# allFunctionsCalledOnLoad\n${chunk.code}`;
        if (chunk.map) chunk.map.mappings = `;${chunk.map.mappings}`;
        // The map file is an asset of its own by now, written from its own copy.
        const map = bundle[`${chunk.fileName}.map`];
        if (map?.type === 'asset' && typeof map.source === 'string') {
          const parsed = JSON.parse(map.source);
          parsed.mappings = `;${parsed.mappings}`;
          map.source = JSON.stringify(parsed);
        }
      }
    },
    load(id) {
      return id.replaceAll('\\', '/').endsWith('packages/widget/src/internal/record-path-url.ts')
        ? `export const RECORD_PATH_URL = import.meta.ROLLUP_FILE_URL_${ref};\n`
        : null;
    },
  };
};

const widgetCss = () => ({
  name: 'consentkit-widget-css',
  transform(code, id) {
    if (!/packages[\\/]widget[\\/]src[\\/].*\.styles\.ts$/.test(id)) return null;
    // TypeScript emits the tag as `css \``, with a space.
    const out = code.replace(/\bcss ?`([^`]*)`/g, (whole, text) =>
      /\$\{|["']/.test(text) ? whole : `css\`${minifyCssText(text)}\``,
    );
    // A styles module is little but its template, so no map is needed to debug the bundle.
    return out === code ? null : { code: out, map: null };
  },
});

// Writes packages/widget/custom-elements.json from the components' JSDoc after each widget build,
// then the framework typings generated from it (src/jsx.ts, frameworks/*.d.ts).
const widgetManifest = () => ({
  name: 'consentkit-widget-manifest',
  async writeBundle() {
    const { writeManifest } = await import('./packages/widget/scripts/manifest.mjs');
    await writeManifest();
    const { writeFrameworkTypes } = await import('./packages/widget/scripts/framework-types.mjs');
    writeFrameworkTypes();
  },
});

// gzip and brotli copies beside every drop-in file (maps too), made once here: the ledger serves
// them by Accept-Encoding as they are (hosted-pages/widget-assets.ts), never compressing per request.
const widgetPrecompress = () => ({
  name: 'consentkit-widget-precompress',
  async writeBundle(options, bundle) {
    const { precompress } = await import('./packages/widget/scripts/precompress.mjs');
    precompress(resolve(options.dir), Object.keys(bundle));
  },
});

// Lazy chunks carry a content hash, so a rebuild names changed ones anew: what earlier builds left
// (with its map and compressed copies) would stay in dist/, be served and published, and be
// counted by the size checks as if a page loaded it. Removed after the write, never before, so the
// drop-in's files are never missing while a test or the ledger reads them.
const widgetDropStale = () => ({
  name: 'consentkit-widget-drop-stale',
  writeBundle(options, bundle) {
    const dir = resolve(options.dir);
    for (const name of readdirSync(dir)) {
      const base = name.replace(/(\.map)?(\.gz|\.br)?$/, '');
      if (/^consentkit-.+\.js$/.test(base) && !(base in bundle)) rmSync(join(dir, name));
    }
  },
});

/**
 * Private members of the drop-in's elements, renamed by terser (−171 B gzip). An explicit list,
 * not a pattern: each name is used only inside the one class (and chunk) that declares it, never
 * by Lit (`handleEvent` is the DOM's), a template binding name or another chunk (terser mangles
 * each chunk on its own, so a name the lazy preferences chunk shares would not match). Terser
 * never picks a new name that the bundle already uses unmangled. Nor the lazily defined elements'
 * members (`<consent-notice>`'s row and heading, TemplateElement's renderOptions): their classes
 * extend classes of other chunks, each mangled on its own, so a short name chosen in one could be
 * an instance field's in another (it was: "this.t is not a function").
 */
const WIDGET_PRIVATE_MEMBERS =
  /^(checkedState|dirty|personAct|pendingInteraction|hasSlottedLabel|initialChecked|loadedState|acted|handleHostClick|handlePointerDown|handleSlotChange|handleClick|toggleState|allowedDefault|fallbackLabel|fallbackWording|wordingLocale|titlePhrase|phrase|stringsIn|english|wordsLocale|actionLabel|gpcApplies|customMessage|computeValidity|validationAnchor|syncValidity|internals|forwardingTrusted|isDisabled|formDisabled|handleInputClick|reportedUnknown|isExpress|shownWording|knownState|isOff|ownValues|pendingChanges|toReflect|attributeWriting|controllerSet|earlyValues|unblock|pendingUpdate|enqueueUpdate|clearPending|isUpdatePending|createRenderRoot|performUpdate|stopListening|finalize|statusLine)$/;

const LOCALE_TABLE = /[\\/]widget[\\/]src[\\/]i18n[\\/]locales[\\/]/;
const LOCALE_TABLES_DIR = resolve(import.meta.dirname, 'packages/widget/src/i18n/locales');

/** A content hash over every string table's source (see the drop-in's chunkFileNames). */
function localeTablesHash() {
  const hash = createHash('sha256');
  for (const file of readdirSync(LOCALE_TABLES_DIR).sort()) {
    hash.update(file).update(readFileSync(join(LOCALE_TABLES_DIR, file)));
  }
  return hash.digest('base64url').slice(0, 8);
}

/**
 * The drop-in: one ES module a single <script type="module"> loads, with Lit, the SDK and core
 * inside (the `@consentkit/source` condition bundles their TypeScript sources; `browser` picks
 * browser entries; no `development`, so Lit's production build). `<consent-preferences>` is
 * split into a lazily loaded chunk beside it.
 */
const widgetDropIn = {
  input: { consentkit: DROP_IN_INPUT },
  // Keeps the shared code in consentkit.js itself (the lazy chunk imports it from there) rather
  // than in a third file: the entry exports `configure` & co., which 'strict' would otherwise
  // protect by splitting everything else out.
  preserveEntrySignatures: 'allow-extension',
  // core and the SDK declare `"sideEffects": false`; said again for their sources (the
  // `@consentkit/source` condition), or a module the entry reaches only through a package's index
  // (the SDK's outbox, through `fetchPolicy`'s) is kept in the entry instead of the record path.
  treeshake: { moduleSideEffects: (id) => !/packages[\\/](sdk|core)[\\/]src[\\/]/.test(id) },
  output: {
    dir: 'packages/widget/dist',
    format: 'es',
    entryFileNames: '[name].js',
    // String tables are named apart (the size check gives them their own ceiling), with one hash
    // of all their sources instead of one per chunk: the entry names every table, and 17 random
    // hashes cost it 145 B gzip where one repeated hash costs a few. The tables import nothing,
    // so their sources decide their content; any change to any table renames them all.
    chunkFileNames: (chunk) =>
      LOCALE_TABLE.test(chunk.facadeModuleId ?? '')
        ? `consentkit-locale-[name]-${localeTablesHash()}.js`
        : 'consentkit-[name]-[hash].js',
    sourcemap: true,
  },
  plugins: [
    widgetProduction(),
    widgetRecordPath(),
    // 'production' is explicit: without it, plugin-node-resolve adds 'development' whenever
    // NODE_ENV is set to anything else (tests set it), and Lit's dev build would ship.
    nodeResolve({
      exportConditions: ['@consentkit/source', 'browser', 'production'],
      extensions: ['.ts', '.mjs', '.js'],
    }),
    typescript({
      tsconfig: 'packages/widget/tsconfig.build.json',
      include: [resolve('packages/*/src/**/*.ts')],
      compilerOptions: {
        declaration: false,
        declarationMap: false,
        emitDeclarationOnly: false,
        sourceMap: true,
        module: 'esnext',
        moduleResolution: 'bundler',
        outDir: resolve('packages/widget/dist'),
        rootDir: resolve('packages'),
      },
    }),
    // After typescript: its transform emits from the file on disk, discarding earlier transforms.
    widgetCss(),
    terser({
      ecma: 2022,
      module: true,
      compress: { passes: 3 },
      mangle: { properties: { regex: WIDGET_PRIVATE_MEMBERS } },
      format: { comments: false },
    }),
    widgetPrecompress(),
    widgetDropStale(),
  ],
};

const widgetBuild = packageBuild('widget', {
  index: 'packages/widget/src/index.ts',
  define: 'packages/widget/src/define.ts',
  element: 'packages/widget/src/element.ts',
});
// One shared chunk for the elements and what they share (the element base included), so the
// `./element` entry adds no chunk of its own. The entries themselves, the lazily defined
// preference centre, the string tables loaded on demand (all but English), the lazy-define
// helper (only ./define uses it) and the record path (imported lazily: a bundler keeps the SDK
// out of the page's first chunk too) stay out of it.
const WIDGET_SHARED =
  /packages[\\/]widget[\\/]src[\\/](?!consent-preferences[\\/]|i18n[\\/]locales[\\/](?!en\.ts$)|internal[\\/](lazy-define|record-path)\.ts$|(index|define|element)\.ts$)/;
widgetBuild.output.manualChunks = (id) => (WIDGET_SHARED.test(id) ? 'widget' : undefined);

export default [
  packageBuild('core', {
    index: 'packages/core/src/index.ts',
    schema: 'packages/core/src/schema.ts',
    projections: 'packages/core/src/projections.ts',
  }),
  packageBuild('sdk', { index: 'packages/sdk/src/index.ts', node: 'packages/sdk/src/node.ts' }),
  { ...widgetBuild, plugins: [widgetProduction(), ...widgetBuild.plugins, widgetManifest()] },
  widgetDropIn,
];

// The drop-in's config, for what builds it alone: the widget's bundle-size test, the e2e suite, the benches.
export { nodeResolve, terser, widgetDropIn };
