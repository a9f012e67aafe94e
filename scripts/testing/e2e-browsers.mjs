// Launches the installed Chromium and Firefox ESR for end-to-end tests with puppeteer-core.
// playwright-core drives Chromium here but not Firefox ESR (its stock-Firefox BiDi channel sends
// commands ESR does not implement), so both browsers go through puppeteer-core's WebDriver BiDi /
// CDP support: one driver, the same API in both.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as puppeteer from 'puppeteer-core';
import { CHROMIUM_ARGS, requireBrowsers } from './browsers.mjs';

export const E2E_BROWSERS = ['chromium', 'firefox'];

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
          userDataDir: profile,
          args: [...CHROMIUM_ARGS, `--lang=${locale}`],
        });
  const close = async () => {
    await browser.close().catch(() => {});
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
