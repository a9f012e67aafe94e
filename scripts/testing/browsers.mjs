// Finds the browsers the test suites drive. We use the distribution's Chromium and Firefox ESR
// (puppeteer/playwright downloads are not available everywhere), so a missing binary must fail
// at once with the command that installs it.
import { existsSync } from 'node:fs';

const CANDIDATES = {
  chromium: [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'],
  firefox: [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox'],
};

/** @param {'chromium' | 'firefox'} name */
export function findBrowser(name) {
  return CANDIDATES[name].find((path) => path && existsSync(path));
}

/** Returns both executables or throws an error that says how to install what is missing. */
export function requireBrowsers() {
  const chromium = findBrowser('chromium');
  const firefox = findBrowser('firefox');
  const missing = [];
  if (!chromium) missing.push('chromium');
  if (!firefox) missing.push('firefox-esr');
  if (missing.length > 0) {
    throw new Error(
      `[consentkit] browser tests need ${missing.join(' and ')}, which ${missing.length > 1 ? 'are' : 'is'} not installed. ` +
        `Install with: sudo apt-get install -y ${missing.join(' ')}  ` +
        '(or set CHROMIUM_PATH / FIREFOX_PATH to an installed binary).',
    );
  }
  return { chromium, firefox };
}

/** Chromium flags for a sandboxed, offline CI machine (root needs --no-sandbox). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
