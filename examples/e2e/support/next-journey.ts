/**
 * The Next.js (App Router) journey in one browser: the page is rendered on the server (the form,
 * the boxes' tags and their words are in the HTML before any script runs), the elements are
 * registered in a client component after hydration with no hydration error, and the submit goes
 * to a server action that receives the record id (`consentkit-record`) and attests it at the
 * ledger with the SDK's attestor, so the express grant counts (`site`). The ledger is on its own
 * origin, which allows the app's by CORS, as a site and its ledger would be deployed.
 */
import { after, before, describe, it } from 'node:test';
import { isPermitted } from '@consentkit/core';
import { issueApiKey } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { type BrowserName, type E2EBrowser, eventually, launchBrowser, startWithBrowser } from './browsers.js';
import { ensureExampleBuilt, staleReason } from './example-builds.js';
import {
  clickBox,
  expectAgreement,
  type FrameworkApp,
  freshPage,
  runApplicationJourney,
  waitForForm,
} from './framework-journeys.js';
import { startLedger, type TestLedger } from './ledger.js';
import { freePort, type NextApp, startNextApp } from './next-app.js';

const NEXT: FrameworkApp = { label: 'Next.js (App Router, server action)', example: 'next', path: '/' };

export function describeNextJourney(name: BrowserName): void {
  describe(`Next.js journey in ${name}`, { concurrency: false }, () => {
    let ledger: TestLedger;
    let app: NextApp;
    let browser: E2EBrowser;

    let devPort = 0;
    /** The server action's key (scope `attest`): in the app server's environment only. */
    let attestKey = '';

    before(async () => {
      await ensureExampleBuilt('next');
      const port = await freePort();
      devPort = await freePort();
      const origins = [port, devPort].map((p) => `http://127.0.0.1:${p}`).join(',');
      [ledger, browser] = await startWithBrowser(
        startLedger({ env: { CONSENTKIT_CORS_ORIGINS: origins } }),
        launchBrowser(name),
      );
      attestKey = await issueApiKey(ledger.context.store, 'attest', 'next example');
      app = await startNextApp({ port, ledgerUrl: ledger.url, attestKey });
    });
    after(async () => {
      await browser?.close();
      await app?.stop();
      await ledger?.stop();
    });

    it('the page is rendered on the server: the form and the boxes’ words are in the HTML', async () => {
      const html = await (await fetch(`${app.url}/`)).text();
      expect(html).to.match(/<form[^>]*data-consent-purpose="application-processing"/);
      expect(html).to.match(/<consent-checkbox[^>]*name="no-marketing"[^>]*>Do not send me marketing emails</);
      expect(html).to.match(/<consent-checkbox[^>]*name="share-with-partners"[^>]*>Yes, share my contact information/);
      expect(html).to.include('<consent-notice');
    });

    // React reports attribute mismatches of hydration only in development builds; one browser
    // is enough for what React itself reports.
    if (name === 'chromium') {
      it('in development (next dev), hydration reports no mismatch and nothing else is logged', async () => {
        const dev = await startNextApp({ port: devPort, ledgerUrl: ledger.url, mode: 'dev' });
        const { page, problems } = await freshPage(browser);
        const messages: string[] = [];
        page.on('console', (message) => messages.push(`${message.type()}: ${message.text()}`));
        try {
          await page.goto(`${dev.url}/`, { waitUntil: 'load', timeout: 120_000 });
          await waitForForm(page);
          await clickBox(page, 'share-with-partners');
          await expectAgreement(page, { noMarketing: false, shareWithPartners: true }, NEXT, 'after a click');
          expect(messages.filter((m) => /hydrat/i.test(m)).join('\n'), 'hydration messages').to.equal('');
          // Development builds of Lit say so once; that is the only message allowed here.
          const unexpected = problems.filter((p) => !p.startsWith('console.warn: Lit is in dev mode.'));
          expect(unexpected.join('\n'), 'no other console error or warning').to.equal('');
        } finally {
          await page.close();
          await dev.stop();
        }
        // The other browser's journey, in its own process, would otherwise rebuild .next/ under
        // this one's running `next start` (a chunk answered 500 in CI).
        expect(staleReason('next', 'production'), 'next dev leaves the production build current').to.equal(undefined);
      });
    }

    it(`${NEXT.label}: state, validity and reset agree with the elements; the server action gets the record and attests it (R16)`, async () => {
      const { page, problems } = await freshPage(browser);
      try {
        const email = `ada+next-${name}-${Date.now().toString(36)}@example.com`;
        let sent = '';
        await runApplicationJourney({
          page,
          problems,
          app: NEXT,
          ledger,
          url: `${app.url}/`,
          email,
          async expectReceived(recordId) {
            sent = recordId;
            // The status line shows what the server action returned: what it received.
            const received = await page.$eval('#received-by', (p) => ({ ...(p as HTMLElement).dataset }));
            expect(received, 'the server action received the record id and both boxes').to.deep.equal({
              recordId,
              noMarketing: 'true',
              shareWithPartners: 'true',
            });
          },
        });

        // After answering, the server action attested the record (Next's after()): the ledger's
        // attestation names it at `site` assurance, and the express grant counts.
        const attestation = await eventually(
          async () => (await ledger.recordsOf(email)).find((e) => e.record.attests === sent),
          `the server action never attested ${sent}`,
          60_000,
        );
        expect(await ledger.assuranceOf(sent), 'the browser’s own record').to.equal('device');
        expect(await ledger.assuranceOf(attestation.recordId), 'the site vouched for it').to.equal('site');
        const state = await ledger.stateOf(email);
        expect(state['partner-sharing']).to.include({ status: 'granted', recordId: sent });
        expect(isPermitted(state, 'partner-sharing')).to.equal(true);

        // The key stayed on the server: not in the page, not in any script the browser loaded.
        const scripts = await page.$$eval('script[src]', (tags) => tags.map((t) => (t as HTMLScriptElement).src));
        expect(scripts, 'the page loads its scripts').to.not.deep.equal([]);
        for (const url of [`${app.url}/`, ...scripts]) {
          expect((await (await fetch(url)).text()).includes(attestKey), `the attest key is in ${url}`).to.equal(false);
        }
      } finally {
        await page.close();
      }
    });
  });
}
