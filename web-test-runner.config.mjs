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

export default {
  rootDir: '.',
  port: await freePort(),
  groups: BROWSER_PACKAGES.map((name) => ({ name, files: testFiles(name) })),
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
