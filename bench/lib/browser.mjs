// Headless Chromium through puppeteer-core: the distribution's browser (scripts/testing/browsers.mjs)
// with the flags the browser tests use.
import { CHROMIUM_ARGS, findBrowser } from '../../scripts/testing/browsers.mjs';

export async function launchChromium() {
  const executablePath = findBrowser('chromium');
  if (!executablePath) throw new Error('Chromium is not installed (sudo apt-get install -y chromium)');
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  return { browser, version: await browser.version() };
}

/**
 * One first visit of `url` (a fresh browser context: no HTTP or code cache) in a tab whose CPU is
 * throttled 4× (a mid-range phone), with CDP Performance metrics on; `measure` runs once the page
 * has loaded. The context is closed afterwards, whatever happened.
 * @template T
 * @param {import('puppeteer-core').Browser} browser
 * @param {string} url
 * @param {(visit: { tab: import('puppeteer-core').Page, cdp: import('puppeteer-core').CDPSession }) => Promise<T>} measure
 * @returns {Promise<T>}
 */
export async function throttledFirstVisit(browser, url, measure) {
  const context = await browser.createBrowserContext();
  try {
    const tab = await context.newPage();
    const cdp = await tab.createCDPSession();
    await cdp.send('Performance.enable');
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await tab.goto(url, { waitUntil: 'load', timeout: 60_000 });
    return await measure({ tab, cdp });
  } finally {
    await context.close();
  }
}
