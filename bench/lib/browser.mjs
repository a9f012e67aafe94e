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
