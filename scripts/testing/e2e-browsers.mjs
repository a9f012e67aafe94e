// Launches the installed Chromium and Firefox ESR for end-to-end tests with puppeteer-core.
// playwright-core drives Chromium here but not Firefox ESR (its stock-Firefox BiDi channel sends
// commands ESR does not implement), so both browsers go through puppeteer-core's WebDriver BiDi /
// CDP support: one driver, the same API in both.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as puppeteer from 'puppeteer-core';
import { CHROMIUM_ARGS, requireBrowsers } from './browsers.mjs';
import { tolerateFirefoxEsr140 } from './firefox-esr-140.mjs';

export const E2E_BROWSERS = ['chromium', 'firefox'];
const CLOSE_PATIENCE_MS = 30_000;
/**
 * How long a browser may take to start. puppeteer's default is 30 s; Firefox took 14–18 s on a
 * shared machine at a load average of 30, and a launch past 30 s failed a whole suite, so a slow
 * start is not a failure here.
 */
const LAUNCH_TIMEOUT_MS = 180_000;

/**
 * @param {'chromium' | 'firefox'} name
 * @param {{ gpc?: boolean, locale?: string }} [options] gpc: the browser sends `Sec-GPC: 1` and
 *   exposes `navigator.globalPrivacyControl === true`, as a browser with GPC switched on does.
 */
export async function launchBrowser(name, { gpc = false, locale = 'en-CA' } = {}) {
  const paths = requireBrowsers();
  const profile = mkdtempSync(join(tmpdir(), `consentkit-e2e-${name}-`));
  // puppeteer's 30 s launch and protocol defaults are shorter than a cold Firefox start on two
  // shared cores under a full test run; a browser that never starts still fails, after 3 minutes.
  const patience = { timeout: 180_000, protocolTimeout: 180_000 };
  const browser =
    name === 'firefox'
      ? await puppeteer.launch({
          ...patience,
          browser: 'firefox',
          executablePath: paths.firefox,
          headless: true,
          timeout: LAUNCH_TIMEOUT_MS,
          userDataDir: profile,
          extraPrefsFirefox: {
            'intl.accept_languages': locale,
            // Firefox's own GPC switch: sends Sec-GPC: 1 and sets navigator.globalPrivacyControl.
            'privacy.globalprivacycontrol.enabled': gpc,
            'privacy.globalprivacycontrol.functionality.enabled': gpc,
          },
        })
      : await puppeteer.launch({
          ...patience,
          executablePath: paths.chromium,
          headless: true,
          timeout: LAUNCH_TIMEOUT_MS,
          userDataDir: profile,
          args: [...CHROMIUM_ARGS, `--lang=${locale}`],
        });
  if (name === 'firefox') await tolerateFirefoxEsr140(browser);
  // A browser that does not close (Firefox ESR 140 over BiDi once left its process running after
  // a navigation timed out) would keep the test file alive until CI's own deadline: after
  // CLOSE_PATIENCE_MS its process is killed.
  const close = async () => {
    const closed = browser.close().then(
      () => true,
      () => false,
    );
    const patience = new Promise((resolve) => setTimeout(resolve, CLOSE_PATIENCE_MS, false).unref());
    const child = browser.process();
    if (!(await Promise.race([closed, patience])) && child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(profile, { recursive: true, force: true });
  };
  /** A new page; under GPC in Chromium (no native switch) we add the header and the property. */
  const newPage = async () => {
    const page = await browser.newPage();
    if (gpc && name === 'chromium') {
      await page.setExtraHTTPHeaders({ 'Sec-GPC': '1' });
      await page.evaluateOnNewDocument(() => {
        Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true });
      });
    }
    return page;
  };
  return { browser, newPage, close, name };
}
