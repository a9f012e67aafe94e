/**
 * Takes the examples' README screenshots with the real browser against the real server:
 *
 *   node --import tsx --conditions=@consentkit/source examples/e2e/screenshot.ts
 *
 * Writes examples/<name>/screenshot.png for the application form, the marketing site (and
 * screenshot-gpc.png: the same under Global Privacy Control) and the email (its HTML template
 * rendered with real links, plus the hosted unsubscribe page). Needs the drop-in (built if missing).
 */
import { join } from 'node:path';
import { createUnsubscribeLinker } from '@consentkit/server';
import { renderMarketingEmail } from '../email/mailer.js';
import { launchBrowser, waitForElements } from './support/browsers.js';
import { ensureDropIn } from './support/drop-in.js';
import { EXAMPLES_DIR, startLedger } from './support/ledger.js';

await ensureDropIn();
const ledger = await startLedger();
const browser = await launchBrowser('chromium');
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1000, height: 900, deviceScaleFactor: 1 });

  await page.goto(`${ledger.url}/examples/application-form/`, { waitUntil: 'load' });
  await waitForElements(page, ['consent-checkbox', 'consent-notice']);
  await page.waitForSelector('consent-notice >>> table', { timeout: 15_000 });
  await page.type('#name', 'Ada Lovelace');
  await page.type('#email', 'ada@example.com');
  await page.click('#no-marketing');
  await page.click('#share-with-partners');
  await page.screenshot({ path: join(EXAMPLES_DIR, 'application-form/screenshot.png'), fullPage: true });

  await page.goto(`${ledger.url}/examples/marketing-site/`, { waitUntil: 'load' });
  await waitForElements(page, ['consent-optout']);
  await page.waitForSelector('#optout-marketing >>> button', { timeout: 15_000 });
  // Let the Consent Mode table fill (default, then the update once the policy is known).
  await new Promise((wake) => setTimeout(wake, 1000));
  await page.screenshot({ path: join(EXAMPLES_DIR, 'marketing-site/screenshot.png'), fullPage: true });

  const links = await createUnsubscribeLinker({ context: ledger.context, publicUrl: ledger.url }).linksFor({
    email: 'ada@example.com',
    purpose: 'marketing',
  });
  const { html } = renderMarketingEmail({ name: 'Ada', subject: 'Faster fibre for your business', links });
  await page.goto('about:blank');
  await page.setContent(html, { waitUntil: 'load' });
  await page.screenshot({ path: join(EXAMPLES_DIR, 'email/screenshot.png'), fullPage: true });

  await page.goto(links.unsubscribeUrl, { waitUntil: 'load' });
  await page.screenshot({ path: join(EXAMPLES_DIR, 'email/unsubscribe-page.png'), fullPage: true });
  // The same site in a browser with Global Privacy Control switched on.
  const gpcBrowser = await launchBrowser('chromium', { gpc: true });
  try {
    const gpcPage = await gpcBrowser.newPage();
    await gpcPage.setViewport({ width: 1000, height: 900, deviceScaleFactor: 1 });
    await gpcPage.goto(`${ledger.url}/examples/marketing-site/`, { waitUntil: 'load' });
    await gpcPage.waitForSelector('#optout-sharing >>> [part="gpc"]', { timeout: 15_000 });
    await new Promise((wake) => setTimeout(wake, 1000));
    await gpcPage.screenshot({ path: join(EXAMPLES_DIR, 'marketing-site/screenshot-gpc.png'), fullPage: true });
  } finally {
    await gpcBrowser.close();
  }
  console.log('screenshots written under examples/');
} finally {
  await browser.close();
  await ledger.stop();
}
