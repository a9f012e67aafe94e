/**
 * The frameworks' development builds: Vue, React, Svelte and Angular print their warnings
 * ("Failed to resolve component", controlled-input and binding warnings, NG0xxx) only there, and
 * the journeys run production builds. In each development build a person fills in, resets and
 * submits the form, and the page must log nothing but Lit's own "dev mode" notice. One browser is
 * enough for what a framework itself reports. (The Next.js development server has its own check
 * in next-journey.ts.)
 */
import { after, before, describe, it } from 'node:test';
import { expect } from 'chai';
import { type BrowserName, type E2EBrowser, launchBrowser, startWithBrowser } from './browsers.js';
import { ensureDropIn } from './drop-in.js';
import { ensureExampleBuilt } from './example-builds.js';
import { clickBox, expectAgreement, type FrameworkApp, freshPage, UUID, waitForForm } from './framework-journeys.js';
import { startLedger, type TestLedger } from './ledger.js';

/** Development builds of Lit say so once: the one message allowed. */
const LIT_DEV_MODE = 'console.warn: Lit is in dev mode.';

export const DEVELOPMENT_APPS: readonly FrameworkApp[] = [
  { label: 'React 19', example: 'react', path: '/examples/react/dev.html' },
  { label: 'Vue 3 (template compiled at build time)', example: 'vue', path: '/examples/vue/dist-dev/' },
  {
    label: 'Vue 3 (template compiled in the browser, drop-in after the app)',
    example: 'vue',
    path: '/examples/vue/dist-dev/in-browser.html',
  },
  { label: 'Svelte 5', example: 'svelte', path: '/examples/svelte/dist-dev/' },
  { label: 'Angular 21 (reactive form)', example: 'angular', path: '/examples/angular/dist-dev/', modelValidity: true },
  {
    label: 'Angular 21 (ngModel)',
    example: 'angular',
    path: '/examples/angular/dist-dev/?forms=template',
    modelValidity: true,
  },
];

export function describeDevelopmentBuilds(name: BrowserName): void {
  describe(`framework development builds in ${name}`, { concurrency: false }, () => {
    let ledger: TestLedger;
    let browser: E2EBrowser;
    let serial = 0;

    before(async () => {
      await ensureDropIn();
      for (const example of new Set(DEVELOPMENT_APPS.map((app) => app.example))) {
        await ensureExampleBuilt(example, 'development');
      }
      [ledger, browser] = await startWithBrowser(startLedger(), launchBrowser(name));
    });
    after(async () => {
      await browser?.close();
      await ledger?.stop();
    });

    for (const app of DEVELOPMENT_APPS) {
      it(`${app.label}, development build: filling, resetting and submitting the form logs no warning`, async () => {
        const { page, problems } = await freshPage(browser);
        try {
          await page.goto(`${ledger.url}${app.path}`, { waitUntil: 'load' });
          await waitForForm(page);
          await clickBox(page, 'no-marketing');
          await clickBox(page, 'share-with-partners');
          await expectAgreement(page, { noMarketing: true, shareWithPartners: true }, app, 'after ticking both');
          await page.click('button[type="reset"]');
          await expectAgreement(page, { noMarketing: false, shareWithPartners: false }, app, 'after reset');
          await page.type('#name', 'Ada Lovelace');
          await page.type('#email', `ada+dev-${name}-${Date.now().toString(36)}-${++serial}@example.com`);
          await clickBox(page, 'share-with-partners');
          await page.click('button[type="submit"]');
          const sentWith = await page.waitForSelector('#sent-with', { timeout: 20_000 });
          expect(await sentWith?.evaluate((code) => code.textContent?.trim())).to.match(UUID);
          const unexpected = problems.filter((problem) => !problem.startsWith(LIT_DEV_MODE));
          expect(unexpected.join('\n'), 'no console error or warning (the framework’s or ours)').to.equal('');
        } finally {
          await page.close();
        }
      });
    }
  });
}
