// Browser tests: every *.test.ts under core, sdk and widget (except *.node.test.ts) runs in
// Chromium and Firefox ESR, against the TypeScript sources (the @consentkit/source condition).
import { readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import * as puppeteer from 'puppeteer-core';
import { CHROMIUM_ARGS, requireBrowsers } from './scripts/testing/browsers.mjs';
import { tolerateFirefoxEsr140 } from './scripts/testing/firefox-esr-140.mjs';
import { countReporter } from './scripts/testing/wtr-count-reporter.mjs';

const { chromium, firefox } = requireBrowsers();

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Only packages that already hold browser tests form a group (wtr refuses an empty group).
const hasBrowserTests = (pkg) =>
  readdirSync(`packages/${pkg}/src`, { recursive: true }).some(
    (f) => String(f).endsWith('.test.ts') && !String(f).endsWith('.node.test.ts'),
  );
const BROWSER_PACKAGES = ['core', 'sdk', 'widget', 'admin'].filter(hasBrowserTests);
const testFiles = (pkg) => [`packages/${pkg}/src/**/*.test.ts`, `!packages/${pkg}/src/**/*.node.test.ts`];

// Firefox via WebDriver BiDi, with a pinned locale so the consent copy is deterministic.
const firefoxPrefs = { 'intl.accept_languages': 'en-CA', 'intl.locale.requested': 'en-CA' };

/** wtr sizes each page (800×600): see firefox-esr-140.mjs for why Firefox ESR 140 needs this. */
async function firefoxPage({ browser, context }) {
  await tolerateFirefoxEsr140(browser);
  return context.newPage();
}

/**
 * Lets a browser test hold back or fail the chunk of one language's strings
 * (packages/widget/src/i18n/locales/*.ts) for its own page only: `fetch('/__locale-chunk/<page>/fr?hold')`
 * holds that page's requests for the chunk until `?release`; `?fail` answers its next one 503. The
 * page is the test page's wtr session id (its `wtr-session-id`), and a page's chunk requests name it
 * because every test page maps each chunk's URL to one carrying `?page=<its session id>` (the
 * import map of testRunnerHtml below). A chunk request is gated only by the page its URL names, so
 * no other page (another test file in the same browser, which wtr runs alongside, or a frame) ever
 * consumes or waits on a gate it did not set.
 */
const LOCALE_CHUNKS = 'packages/widget/src/i18n/locales';
const chunkGates = new Map();
async function localeChunkGate(ctx, next) {
  const gateKey = (page, language) => `${page} ${language}`;
  const control = /^\/__locale-chunk\/([\w-]+)\/([\w-]+)$/.exec(ctx.path);
  if (control) {
    const key = gateKey(control[1], control[2]);
    chunkGates.get(key)?.release();
    chunkGates.delete(key);
    if (ctx.querystring !== 'release') {
      let release;
      const opened = new Promise((resolve) => {
        release = resolve;
      });
      chunkGates.set(key, { fail: ctx.querystring === 'fail', opened, release });
    }
    ctx.status = 204;
    return;
  }
  const chunk = /\/widget\/src\/i18n\/locales\/([\w-]+)\.(?:js|ts)$/.exec(ctx.path);
  if (!chunk) return next();
  // wtr has the browser cache every file for a year (its cacheMiddleware, which wraps this one and
  // sets the header last): a chunk a page may gate must be asked for by every page that imports it.
  const set = ctx.response.set.bind(ctx.response);
  ctx.response.set = (field, value) => set(field, String(field).toLowerCase() === 'cache-control' ? 'no-store' : value);
  const page = ctx.query.page;
  const key = typeof page === 'string' ? gateKey(page, chunk[1]) : undefined;
  const gate = key && chunkGates.get(key);
  if (gate?.fail) {
    // Once: the gate fails the one import the page set it for.
    chunkGates.delete(key);
    ctx.status = 503;
    return;
  }
  if (gate) await gate.opened;
  return next();
}

/**
 * The test page, with an import map that sends its chunk requests to `<chunk>?page=<session id>`
 * (see localeChunkGate). The map is written by a script, as only the page knows its session id,
 * and stands before every module script: Firefox ESR 140 ignores an import map that comes after
 * one (Chromium merges it). wtr puts its own inline module script right after `<head>` or else
 * `<body>`, so this page leaves its head implicit and puts the map ahead of `<body>`. A chunk is named as the browser
 * asks for it: `.ts`, which the dev server rewrites the sources' `.js` imports to.
 */
const chunkUrls = readdirSync(LOCALE_CHUNKS)
  .filter((file) => file.endsWith('.ts'))
  .map((file) => `/${LOCALE_CHUNKS}/${file}`);
const testRunnerHtml = (testFramework) => `<!DOCTYPE html>
<html>
<script>
  {
    const page = new URLSearchParams(location.search).get('wtr-session-id');
    if (page) {
      const imports = {};
      for (const url of ${JSON.stringify(chunkUrls)}) imports[url] = url + '?page=' + encodeURIComponent(page);
      const map = document.createElement('script');
      map.type = 'importmap';
      map.textContent = JSON.stringify({ imports });
      document.currentScript.after(map);
    }
  }
</script>
<body>
<script type="module" src="${testFramework}"></script>
</body>
</html>`;

export default {
  rootDir: '.',
  port: await freePort(),
  groups: BROWSER_PACKAGES.map((name) => ({ name, files: testFiles(name) })),
  middleware: [localeChunkGate],
  testRunnerHtml,
  nodeResolve: { exportConditions: ['@consentkit/source', 'browser', 'development'] },
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.base.json' })],
  concurrency: 2,
  concurrentBrowsers: 2,
  testsFinishTimeout: 180_000,
  browserStartTimeout: 60_000,
  testFramework: { config: { timeout: 20_000 } },
  browsers: [
    chromeLauncher({
      puppeteer,
      launchOptions: { executablePath: chromium, args: [...CHROMIUM_ARGS, '--lang=en-CA'] },
    }),
    chromeLauncher({
      puppeteer,
      launchOptions: { browser: 'firefox', executablePath: firefox, extraPrefsFirefox: firefoxPrefs },
      createPage: firefoxPage,
    }),
  ],
  reporters: [
    defaultReporter({ reportTestResults: true, reportTestProgress: !process.env.CI }),
    ...(process.env.CONSENTKIT_WTR_COUNTS ? [countReporter({ file: process.env.CONSENTKIT_WTR_COUNTS })] : []),
  ],
};
