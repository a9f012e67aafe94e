/**
 * Failures are never silent, against the real server in a real browser: a site whose origin the
 * ledger's CORS list leaves out, a `purpose` the policy does not know, a ledger that cannot be
 * reached (a wrong address, and the network cut mid-visit). Each one must name its code and a
 * one-line reason in the console (the production drop-in's, not a development build) and fire a
 * `consent-error` event the page can handle; nothing is recorded that should not be, and a record
 * held back by an outage reaches the ledger once it is back.
 *
 * The site (support/proxy-site.ts) is another origin than the ledger, serving a test page, the
 * built drop-in under /assets/, and (for the same-origin cases) the ledger's API by proxy.
 */
import { after, before, describe, it } from 'node:test';
import { closedOrigin } from '@consentkit/test-support/net';
import { expect } from 'chai';
import type { BrowserContext, Page } from 'puppeteer-core';
import {
  type BrowserName,
  type E2EBrowser,
  eventually,
  launchBrowser,
  startWithBrowser,
  waitForElements,
} from './browsers.js';
import { ensureDropIn } from './drop-in.js';
import { startLedger, type TestLedger } from './ledger.js';
import { type ProxySite, startSite } from './proxy-site.js';

/** What the page saw: every consent-error (where it fired, and its detail) and every console warning. */
type Seen = {
  errors: { target: string; code: string; reason: string; retrying: boolean; recordId?: string }[];
  console: string[];
};

/**
 * A test page: one form with a marketing box (or the purpose given), the drop-in, a listener;
 * with `embedded`, the policy in the page as a JSON data block that <consent-config> points at.
 */
function testPage(endpoint: string, purpose: string, embedded?: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>ConsentKit failure test</title>
<script>
  window.seen = [];
  document.addEventListener('consent-error', (event) => {
    const target = event.target === document ? 'document' : event.target.id || event.target.localName;
    window.seen.push({ target, ...event.detail });
  });
</script>
<script type="module" src="/assets/consentkit.js"></script>
</head>
<body>
${embedded ? `<script type="application/json" id="policy">${embedded.replaceAll('<', '\\u003c')}</script>` : ''}
<consent-config endpoint="${endpoint}"${embedded ? ' policy="#policy"' : ''}></consent-config>
<form id="apply" data-consent-purpose="application-processing" onsubmit="event.preventDefault()">
  <label>Email <input name="email" type="email" value="failure-test@example.com"></label>
  <consent-checkbox id="box" name="box" purpose="${purpose}">Keep me posted</consent-checkbox>
  <button>Send</button>
</form>
</body>
</html>`;
}

export function describeClientFailures(name: BrowserName): void {
  describe(`failures are never silent, in ${name}`, { concurrency: false }, () => {
    let ledger: TestLedger;
    let browser: E2EBrowser;
    let site: ProxySite & { /** The policy JSON pages with `embed=1` carry. */ embedded?: string };

    before(async () => {
      await ensureDropIn();
      [ledger, browser] = await startWithBrowser(startLedger(), launchBrowser(name));
      site = await startSite(ledger, (url) => {
        const embedded = url.searchParams.has('embed') ? site.embedded : undefined;
        return testPage(
          url.searchParams.get('endpoint') ?? '/',
          url.searchParams.get('purpose') ?? 'marketing',
          embedded,
        );
      });
    });

    after(async () => {
      await browser?.close();
      await site?.close();
      await ledger?.stop();
    });

    /** Waits (up to 90 s: the client's retry backoff) until the record is in the ledger. */
    async function reachesLedger(recordId: string, failure: string): Promise<void> {
      await eventually(
        async () => ((await ledger.allEntries()).some((e) => e.recordId === recordId) ? true : undefined),
        failure,
        90_000,
      );
    }

    /** Opens the test page on a fresh page, collecting console warnings from the first script on. */
    async function open(
      endpoint: string,
      purpose = 'marketing',
      { embed = false, context }: { embed?: boolean; context?: BrowserContext } = {},
    ): Promise<{ page: Page; seen: () => Promise<Seen> }> {
      const page = await (context ? context.newPage() : browser.newPage());
      const lines: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'warn') lines.push(message.text());
      });
      const query = new URLSearchParams({ endpoint, purpose, ...(embed ? { embed: '1' } : {}) });
      await page.goto(`${site.origin}/page?${query}`, { waitUntil: 'load' });
      await waitForElements(page, ['consent-config', 'consent-checkbox']);
      return {
        page,
        seen: async () => ({
          errors: await page.evaluate(() => (window as unknown as { seen: Seen['errors'] }).seen),
          console: lines,
        }),
      };
    }

    /** Submits the form (the page cancels the navigation) and waits for a consent-error on it. */
    async function submitAndWait(page: Page, seen: () => Promise<Seen>): Promise<Seen['errors'][number]> {
      await page.click('button');
      try {
        return await eventually(
          async () => (await seen()).errors.find((e) => e.target === 'apply'),
          'no consent-error on the form',
        );
      } catch (error) {
        // What the page had seen, whether it could run, and what reached the cut: enough to tell a
        // submit that never happened from a send that never failed.
        const state = await page
          .evaluate(() => ({
            visibility: document.visibilityState,
            focused: document.hasFocus(),
            recordField: (document.querySelector('input[name="consentkit-record"]') as HTMLInputElement | null)?.value,
            loaded: performance
              .getEntriesByType('resource')
              .map((e) => `${new URL(e.name).pathname} ${Math.round(e.startTime)}+${Math.round(e.duration)}ms`),
            at: Math.round(performance.now()),
          }))
          .catch((cause: unknown) => String(cause));
        const { errors, console: lines } = await seen().catch(() => ({ errors: [], console: [] }));
        throw new Error(
          `${(error as Error).message}; page ${JSON.stringify(state)}; dropped at the cut ${ledger.dropped}; errors ${JSON.stringify(errors)}; console ${JSON.stringify(lines)}`,
        );
      }
    }

    it("an origin missing from the ledger's CORS list: origin-not-allowed, with the origin to add", async () => {
      const before = (await ledger.allEntries()).length;
      const { page, seen } = await open(ledger.url);
      try {
        const fix = `Add ${site.origin} to the ledger's CONSENTKIT_CORS_ORIGINS.`;
        const onPage = await eventually(
          async () => (await seen()).errors.find((e) => e.target === 'document'),
          'no consent-error on the document',
        );
        expect(onPage).to.deep.include({ code: 'origin-not-allowed', retrying: false });
        expect(onPage.reason).to.equal(
          `could not load the policy from ${ledger.url}/v1/policy: the ledger at ${ledger.url} answered, but does not allow requests from this page's origin ${site.origin} (CORS). ${fix}`,
        );
        const onForm = await submitAndWait(page, seen);
        expect(onForm.code).to.equal('origin-not-allowed');
        expect(onForm.reason).to.match(/^no consent record for form "apply": could not load the policy/);
        const lines = (await seen()).console;
        expect(lines).to.include(`[consentkit] ${onPage.reason} See ConsentKit docs/errors.md#origin-not-allowed`);
        expect(lines.filter((l) => l.includes(fix))).to.have.length.greaterThan(1);
        expect((await ledger.allEntries()).length, 'nothing reached the ledger').to.equal(before);
      } finally {
        await page.close();
      }
    });

    it('a purpose the policy does not know: unknown-purpose on the box at load, on the form at submit', async () => {
      const before = (await ledger.allEntries()).length;
      const { page, seen } = await open('/', 'newsletter');
      try {
        const onBox = await eventually(
          async () => (await seen()).errors.find((e) => e.target === 'box'),
          'no consent-error on the box',
        );
        expect(onBox.code).to.equal('unknown-purpose');
        expect(onBox.reason).to.match(
          /^<consent-checkbox purpose="newsletter">: purpose "newsletter" is not in policy allstream@1\.1 \(application-processing, marketing, loyalty-programme, relationship-management, partner-sharing, credit-check\)\. Use one of those ids/,
        );
        const onForm = await submitAndWait(page, seen);
        expect(onForm.code).to.equal('unknown-purpose');
        expect(onForm.reason).to.match(/^no consent record for form "apply": purpose "newsletter" is not in policy/);
        expect((await seen()).console).to.include(
          `[consentkit] ${onBox.reason} See ConsentKit docs/errors.md#unknown-purpose`,
        );
        expect((await ledger.allEntries()).length, 'nothing was recorded').to.equal(before);
      } finally {
        await page.close();
      }
    });

    it('a ledger address nothing answers on: transport, naming the address', async () => {
      const closed = await closedOrigin();
      const { page, seen } = await open(closed);
      try {
        const onPage = await eventually(
          async () => (await seen()).errors.find((e) => e.target === 'document'),
          'no consent-error on the document',
        );
        expect(onPage).to.deep.include({
          code: 'transport',
          reason: `could not load the policy from ${closed}/v1/policy: could not reach the ledger at ${closed}.`,
        });
        expect((await seen()).console).to.include(
          `[consentkit] ${onPage.reason} See ConsentKit docs/errors.md#transport`,
        );
        const onForm = await submitAndWait(page, seen);
        expect(onForm.code).to.equal('transport');
      } finally {
        await page.close();
      }
    });

    it('a ledger cut off mid-visit: transport on the form with the record kept, delivered once it is back', async () => {
      const { page, seen } = await open('/');
      try {
        // The policy is loaded (the box knows its purpose) before the network goes.
        await page.waitForFunction(
          () => (document.querySelector('#box') as { effectiveMode?: string } | null)?.effectiveMode === 'opt-out',
        );
        ledger.cut('/v1/records');
        const onForm = await submitAndWait(page, seen);
        expect(onForm).to.deep.include({ code: 'transport', retrying: true });
        expect(onForm.reason).to.equal(
          `could not send consent records: could not reach the ledger at ${site.origin}. They stay queued and are retried.`,
        );
        expect(onForm.recordId).to.be.a('string');
        expect((await seen()).console).to.include(
          `[consentkit] ${onForm.reason} See ConsentKit docs/errors.md#transport`,
        );
        ledger.restore();
        const recordId = onForm.recordId as string;
        await reachesLedger(recordId, 'the held-back record never reached the ledger after the outage');
      } finally {
        ledger.restore();
        await page.close();
      }
    });

    it('a ledger cut off and the diagnosis chunk unreachable too: transport on the form all the same, delivered once it is back', async () => {
      const { page, seen } = await open('/');
      const diagnosis = /^consentkit-fetch-failure-/;
      try {
        await page.waitForFunction(
          () => (document.querySelector('#box') as { effectiveMode?: string } | null)?.effectiveMode === 'opt-out',
        );
        const asked = site.requests(diagnosis);
        ledger.cut('/v1/records');
        site.refuse(diagnosis);
        const onForm = await submitAndWait(page, seen);
        // The lazy diagnosis (CORS or down) could not load: the failure is still named, as the
        // ledger being unreachable at the address asked, with what happens to the record.
        expect(site.requests(diagnosis), 'the page asked for the diagnosis chunk').to.be.greaterThan(asked);
        expect(onForm).to.deep.include({ code: 'transport', retrying: true });
        expect(onForm.reason).to.equal(
          `could not send consent records: could not reach the ledger at ${site.origin}/v1/records. They stay queued and are retried.`,
        );
        expect((await seen()).console).to.include(
          `[consentkit] ${onForm.reason} See ConsentKit docs/errors.md#transport`,
        );
        ledger.restore();
        site.refuse(undefined);
        const recordId = onForm.recordId as string;
        await reachesLedger(recordId, 'the held-back record never reached the ledger after the outage');
      } finally {
        ledger.restore();
        site.refuse(undefined);
        await page.close();
      }
    });

    /**
     * A first visit with the ledger down through the submit: the box still has the policy's basis
     * (opt-out, so ticking it opts out), the choice is recorded with its id, and it reaches the
     * ledger exactly once when the ledger is back.
     */
    async function recordedWhileDown(context: BrowserContext, embed: boolean): Promise<void> {
      ledger.cut('/v1');
      const { page, seen } = await open('/', 'marketing', { embed, context });
      try {
        await page.waitForFunction(
          () => (document.querySelector('#box') as { effectiveMode?: string } | null)?.effectiveMode === 'opt-out',
        );
        await page.click('#box');
        const onForm = await submitAndWait(page, seen);
        expect(onForm).to.deep.include({ code: 'transport', retrying: true });
        const recordId = onForm.recordId as string;
        expect(recordId).to.be.a('string');
        expect((await ledger.allEntries()).some((e) => e.recordId === recordId)).to.equal(false);
        ledger.restore();
        await reachesLedger(recordId, 'the choice made while the ledger was down never reached it');
        const stored = (await ledger.allEntries()).filter((e) => e.recordId === recordId);
        expect(stored, 'recorded exactly once').to.have.length(1);
        const marketing = (stored[0]?.record.decisions ?? []).find((d) => d.purpose === 'marketing');
        expect(marketing, 'the basis the box had').to.include({ granted: false, basis: 'opt-out' });
      } finally {
        ledger.restore();
        await page.close();
      }
    }

    it('first visit, ledger down, policy embedded in the page: the choice is recorded once it is back', async () => {
      // The policy file as a site would paste it (the ledger's answer wraps it with its digest).
      const { policy } = (await (await fetch(`${ledger.url}/v1/policy`)).json()) as { policy: unknown };
      site.embedded = JSON.stringify(policy);
      const context = await browser.browser.createBrowserContext();
      try {
        await recordedWhileDown(context, true);
      } finally {
        await context.close();
      }
    });

    it('ledger down on a later visit: the policy remembered from the first one keeps the choice', async () => {
      const context = await browser.browser.createBrowserContext();
      try {
        const first = await open('/', 'marketing', { context });
        await first.page.waitForFunction(
          () => (document.querySelector('#box') as { effectiveMode?: string } | null)?.effectiveMode === 'opt-out',
        );
        await first.page.close();
        await recordedWhileDown(context, false);
      } finally {
        await context.close();
      }
    });

    it('a choice kept while the ledger was down outlives its page: the next page on the site signs and sends it', async () => {
      const context = await browser.browser.createBrowserContext();
      ledger.cut('/v1');
      try {
        const first = await open('/', 'marketing', { context });
        await eventually(
          async () => ((await first.seen()).errors.some((e) => e.target === 'document') ? true : undefined),
          'no consent-error on the document for the policy that did not load',
        );
        await first.page.click('#box');
        const recordId = (await submitAndWait(first.page, first.seen)).recordId as string;
        expect(recordId).to.be.a('string');
        await first.page.close();
        ledger.restore();
        const next = await open('/', 'marketing', { context });
        try {
          await reachesLedger(recordId, 'the choice kept by the closed page never reached the ledger');
          const stored = (await ledger.allEntries()).filter((e) => e.recordId === recordId);
          expect(stored, 'recorded exactly once').to.have.length(1);
          expect((stored[0]?.record.decisions ?? []).find((d) => d.purpose === 'marketing')).to.include({
            granted: true,
            basis: 'opt-out',
          });
        } finally {
          await next.page.close();
        }
      } finally {
        ledger.restore();
        await context.close();
      }
    });

    it('first visit, ledger down, neither embedded nor remembered: the choice is kept and signed once it is back', async () => {
      const context = await browser.browser.createBrowserContext();
      ledger.cut('/v1');
      try {
        const { page, seen } = await open('/', 'marketing', { context });
        try {
          // No policy: the box is what its markup says (express, the default), and says so.
          await eventually(
            async () => ((await seen()).errors.some((e) => e.target === 'document') ? true : undefined),
            'no consent-error on the document for the policy that did not load',
          );
          expect(
            await page.evaluate(() => (document.querySelector('#box') as { effectiveMode?: string }).effectiveMode),
          ).to.equal('express');
          await page.click('#box');
          const onForm = await submitAndWait(page, seen);
          expect(onForm).to.deep.include({ code: 'transport', retrying: true });
          expect(onForm.reason).to.match(/The choice is kept and recorded once the policy loads\.$/);
          const recordId = onForm.recordId as string;
          expect(recordId).to.be.a('string');
          const inForm = await page.evaluate(
            () => (document.querySelector('input[name="consentkit-record"]') as HTMLInputElement | null)?.value,
          );
          expect(inForm, 'the record id is in the form').to.equal(recordId);
          expect((await ledger.allEntries()).some((e) => e.recordId === recordId)).to.equal(false);
          // Delivered by the same page: it retries loading the policy in the background.
          const restoredAt = Date.now();
          ledger.restore();
          await reachesLedger(recordId, 'the choice kept while the ledger was down never reached it');
          // A reload on the same browser must not sign it again.
          await page.reload({ waitUntil: 'load' });
          await waitForElements(page, ['consent-config', 'consent-checkbox']);
          await page.waitForFunction(
            () => (document.querySelector('#box') as { effectiveMode?: string } | null)?.effectiveMode === 'opt-out',
          );
          const stored = (await ledger.allEntries()).filter((e) => e.recordId === recordId);
          expect(stored, 'recorded exactly once').to.have.length(1);
          const record = stored[0]?.record;
          // Signed after the ledger was back, but dated when the person chose.
          expect(Date.parse(record?.issuedAt ?? ''), 'issued at the capture time').to.be.lessThan(restoredAt);
          const decisions = record?.decisions ?? [];
          // The policy's basis for marketing is opt-out: the ticked express box is a "yes", not an opt-out.
          expect(decisions.find((d) => d.purpose === 'marketing')).to.include({
            granted: true,
            basis: 'opt-out',
            interaction: 'pointer',
          });
          expect(decisions.find((d) => d.purpose === 'marketing')?.wording?.text).to.equal('Keep me posted');
          expect(decisions.find((d) => d.purpose === 'application-processing')).to.include({
            granted: true,
            basis: 'implied',
          });
        } finally {
          await page.close();
        }
      } finally {
        ledger.restore();
        await context.close();
      }
    });
  });
}
