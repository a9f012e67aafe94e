/**
 * The /admin dashboard in Chromium and Firefox ESR against the real server (the same
 * wiring `pnpm start` uses, PGlite in a temporary folder) and the real dashboard bundle
 * (packages/admin/dist/admin.js, built here when missing or older than its sources).
 * Records are signed with core and posted to /v1/records over HTTP; the browser signs in with an
 * API key, reads the figures off the chart's table and the collection-point table, looks a person
 * up, and every screen passes axe (WCAG 2.0–2.2 A/AA, R61).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { testPolicy } from '@consentkit/test-support/policy';
import { APPLICATION_FORM, issueApiKey, postDashboardPeople } from '@consentkit/test-support/server';
import { expect } from 'chai';
import type { ElementHandle, Page } from 'puppeteer-core';
import { buildAdmin } from '../../packages/admin/scripts/build.mjs';
import { expectAccessible } from './support/axe.js';
import {
  BROWSERS,
  type BrowserName,
  type E2EBrowser,
  eventually,
  launchBrowser,
  startWithBrowser,
} from './support/browsers.js';
import { API_KEY, ROOT, startLedger, type TestLedger } from './support/ledger.js';
import { keepScreenshot } from './support/screenshots.js';

const ADMIN_SRC = join(ROOT, 'packages/admin/src');
const ADMIN_BUNDLE = join(ROOT, 'packages/admin/dist/admin.js');
const TODAY = new Date().toISOString().slice(0, 10);
const APPLY = APPLICATION_FORM;

/** Builds the dashboard bundle when it is missing or older than any of its sources. */
async function ensureAdminBundle(): Promise<void> {
  const newest = readdirSync(ADMIN_SRC, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .reduce((max, e) => Math.max(max, statSync(join(e.parentPath, e.name)).mtimeMs), 0);
  if (existsSync(ADMIN_BUNDLE) && statSync(ADMIN_BUNDLE).mtimeMs >= newest) return;
  await buildAdmin();
}

/** The first element matching `selector` anywhere in the page, shadow roots included. */
async function deep(page: Page, selector: string): Promise<ElementHandle<Element> | null> {
  const handle = await page.evaluateHandle((sel: string) => {
    const roots: (Document | ShadowRoot)[] = [document];
    while (roots.length > 0) {
      const root = roots.shift() as Document | ShadowRoot;
      const hit = root.querySelector(sel);
      if (hit) return hit;
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
    }
    return null;
  }, selector);
  return handle.asElement() as ElementHandle<Element> | null;
}

/** Waits for `selector` (shadow roots included) and returns it. */
function waitDeep(page: Page, selector: string, timeoutMs = 15_000): Promise<ElementHandle<Element>> {
  return eventually(async () => (await deep(page, selector)) ?? undefined, `no ${selector} on the page`, timeoutMs);
}

const textOf = (el: ElementHandle<Element>) => el.evaluate((e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim());

for (const name of BROWSERS) describeAdmin(name);

function describeAdmin(name: BrowserName): void {
  describe(`/admin dashboard in ${name}`, { concurrency: false }, () => {
    let ledger: TestLedger;
    let browser: E2EBrowser;
    let page: Page;
    let readKey = '';
    const pageErrors: string[] = [];

    before(async () => {
      await ensureAdminBundle();
      [ledger, browser] = await startWithBrowser(startLedger(), launchBrowser(name));
      readKey = await issueApiKey(ledger.context.store, 'read', 'privacy office');
      // The site's backend posts these records with its ingest key, so they carry `site` assurance
      // and the express grants among them count (a browser's alone would stay pending).
      const ingestKey = await issueApiKey(ledger.context.store, 'ingest', 'website');
      // The known set the dashboard's figures are checked against: see postDashboardPeople.
      await postDashboardPeople({
        policy: testPolicy(),
        async post(record) {
          const response = await fetch(`${ledger.url}/v1/records`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${ingestKey}` },
            body: JSON.stringify({ records: [record] }),
          });
          const body = (await response.json()) as { results: { status: string }[] };
          expect(body.results[0]?.status, JSON.stringify(body)).to.equal('accepted');
        },
      });
      page = await browser.newPage();
      page.on('pageerror', (error) => pageErrors.push(String(error)));
    });
    after(async () => {
      await browser?.close();
      await ledger?.stop();
    });

    it('shows the sign-in form under the strict CSP, and it passes axe (R61)', async () => {
      const response = await page.goto(`${ledger.url}/admin`, { waitUntil: 'load' });
      expect(response?.status()).to.equal(200);
      expect(response?.headers()['content-security-policy']).to.include("script-src 'self'");
      await waitDeep(page, '#key');
      await expectAccessible(page, `/admin sign-in (${name})`);
    });

    it('refuses a wrong key with a message saying why', async () => {
      const input = await waitDeep(page, '#key');
      await input.type('ck_this-is-not-a-key');
      await page.keyboard.press('Enter');
      const alert = await waitDeep(page, '#login-message');
      expect(await textOf(alert)).to.match(/not accepted/);
    });

    it('signs in by keyboard with a read key; the key is in sessionStorage only, never in the URL or a cookie', async () => {
      const input = await waitDeep(page, '#key');
      await input.focus();
      await page.keyboard.type(readKey);
      await page.keyboard.press('Enter');
      await waitDeep(page, 'consent-admin-ledger-status');
      expect(page.url()).to.equal(`${ledger.url}/admin`);
      expect(await page.cookies()).to.have.length(0);
      const stored = await page.evaluate(() => sessionStorage.getItem('consentkit-admin-key'));
      expect(stored).to.equal(readKey);
      const html = await page.content();
      expect(html).to.not.include(readKey);
    });

    it('shows the ledger verified, with the number of entries', async () => {
      const verdict = await waitDeep(page, '[data-ledger-ok]');
      expect(await verdict.evaluate((e) => e.getAttribute('data-ledger-ok'))).to.equal('true');
      expect(await textOf(await waitDeep(page, '[data-field="entries"]'))).to.equal('5');
    });

    it('charts the state by purpose (SVG role=img with a table alternative) with the right figures', async () => {
      const select = await waitDeep(page, 'select#purpose');
      const svgLabel = await (await waitDeep(page, 'svg[role="img"]')).evaluate((svg) => {
        const ids = (svg.getAttribute('aria-labelledby') ?? '').split(' ');
        return ids.map((id) => svg.querySelector(`[id="${id}"]`)?.textContent ?? '').join(' ');
      });
      // Purposes by their titles in the policy, not their ids.
      expect(svgLabel).to.match(/Consent state for Processing your application/);
      expect(svgLabel).to.include(`On ${TODAY}: 3 granted, 0 opted out, 0 withdrawn`);
      await select.select('marketing');
      const row = await eventually(
        async () => (await deep(page, `table[data-purpose="marketing"] tr[data-day="${TODAY}"]`)) ?? undefined,
        'the marketing table',
      );
      const cells = await row.evaluate((tr) =>
        Object.fromEntries([...tr.querySelectorAll('td')].map((td) => [td.dataset.field, td.textContent?.trim()])),
      );
      // Alice's later opt-out replaces her grant; Bob opted out; Carol granted.
      expect(cells).to.deep.equal({ granted: '1', optedOut: '2', withdrawn: '0', decisions: '4' });
      const bars = await (await waitDeep(page, 'svg[role="img"]')).evaluate(
        (svg) => svg.querySelectorAll('rect').length,
      );
      expect(bars).to.equal(2); // today's stack: a granted and an opted-out segment
      await select.select('partner-sharing');
      const sharing = await eventually(
        async () => (await deep(page, `table[data-purpose="partner-sharing"] tr[data-day="${TODAY}"]`)) ?? undefined,
        'the partner-sharing table',
      );
      expect(
        await sharing.evaluate((tr) => tr.querySelector('[data-field="withdrawn"]')?.textContent?.trim()),
      ).to.equal('1');
    });

    it('gives the opt-out rate per collection point', async () => {
      const rows = await eventually(async () => {
        const table = await deep(page, 'consent-admin-collection-points');
        const found = await table?.evaluate((host) =>
          [...(host.shadowRoot?.querySelectorAll('tbody tr') ?? [])].map((tr) => [
            tr.querySelector('th')?.textContent?.trim() ?? '',
            tr.querySelector('[data-field="rate"]')?.textContent?.trim() ?? '',
          ]),
        );
        return found && found.length > 0 ? found : undefined;
      }, 'the collection-point table');
      expect(rows).to.deep.include([`${APPLY.url} — form application`, '33.3%']);
      expect(rows).to.deep.include(['https://allstream.example/news — form newsletter', '100%']);
      expect(rows).to.deep.include([
        'https://allstream.example/account — flow preference-page',
        'n/a (no opt-out choice offered)',
      ]);
    });

    it('looks a person up by email: history with verification badges in words', async () => {
      const input = await waitDeep(page, '#query');
      await input.type('alice@example.com');
      await page.keyboard.press('Enter');
      const subject = await waitDeep(page, '[data-field="subject"]');
      expect(await textOf(subject)).to.match(/^[0-9a-f-]{36}$/);
      const badges = await eventually(async () => {
        const host = await deep(page, 'consent-admin-subject-lookup');
        const all = await host?.evaluate((h) =>
          [...(h.shadowRoot?.querySelectorAll('[data-field="badges"]') ?? [])].map((td) =>
            (td.textContent ?? '').replace(/\s+/g, ' ').trim(),
          ),
        );
        return all && all.length > 0 ? all : undefined;
      }, 'the badges');
      expect(badges).to.have.length(2);
      for (const text of badges) {
        expect(text).to.include('Signature valid');
        expect(text).to.include('In chain');
        expect(text).to.include('Receipt valid');
      }
      // The lookup went in a POST body: the address is in no URL the browser has seen.
      expect(page.url()).to.not.include('alice');
    });

    it('names an unsubscribe-page click as such, with the state in words and "3 records"', async () => {
      // Carol unsubscribes from marketing on the hosted page, as a person following an email's link.
      const links = await ledger.linksFor('carol@example.com', 'marketing');
      const hosted = await browser.newPage();
      try {
        await hosted.goto(links.unsubscribeUrl, { waitUntil: 'load' });
        await Promise.all([
          hosted.waitForNavigation({ waitUntil: 'load' }),
          hosted.click('form button[type="submit"]'),
        ]);
      } finally {
        await hosted.close();
      }
      const input = await waitDeep(page, '#query');
      await input.evaluate((e) => {
        (e as HTMLInputElement).value = '';
      });
      await input.type('carol@example.com');
      await page.keyboard.press('Enter');
      const summary = await eventually(async () => {
        const found = await deep(page, '[data-field="summary"]');
        const text = found ? await textOf(found) : '';
        return text.endsWith('3 records.') ? text : undefined;
      }, "Carol's three records");
      expect(summary).to.match(/^Known since .+\. 3 records\.$/);
      const how = await eventually(async () => {
        const host = await deep(page, 'consent-admin-subject-lookup');
        const cells = await host?.evaluate((h) =>
          [...(h.shadowRoot?.querySelectorAll('[data-field="method"]') ?? [])].map((m) => (m.textContent ?? '').trim()),
        );
        return cells && cells.length === 3 ? cells : undefined;
      }, 'the history');
      // The click on the hosted unsubscribe page (recorded as method preference-page, flow unsubscribe-page).
      expect(how.at(-1)).to.equal('Unsubscribe page');
      expect(how.join(' ')).to.not.match(/preference-page|form-submit|one-click-email/);
      const state = await textOf(await waitDeep(page, '[data-field="state"]'));
      // Purpose titles and reasons in words, not "marketing denied".
      expect(state).to.include('Marketing emails: opted out');
      expect(state).to.include('Sharing with authorized partners: consent withdrawn');
      expect(state).to.not.match(/\b(denied|needs-consent|partner-sharing)\b/);
    });

    it('lays out at 375 and 1280 px: no white frame, fields inside their cards, a blue focus ring (screenshots kept)', async () => {
      const shots: string[] = [];
      for (const width of [375, 1280]) {
        await page.setViewport({ width, height: 900 });
        // Handles, not a search function inside evaluate: tsx would wrap a named one in a helper the page lacks.
        const input = await waitDeep(page, '#query');
        const layout = await input.evaluate((field) => {
          const form = field.closest('form') as HTMLFormElement;
          const button = form.querySelector('button') as HTMLButtonElement;
          const section = field.closest('section') as HTMLElement;
          const [i, b, c] = [field, button, section].map((e) => e.getBoundingClientRect()) as [
            DOMRect,
            DOMRect,
            DOMRect,
          ];
          (field as HTMLInputElement).focus();
          return {
            bodyMargin: getComputedStyle(document.body).margin,
            overflow: document.documentElement.scrollWidth - window.innerWidth,
            inputInCard: i.left >= c.left && i.right <= c.right,
            overlap: !(b.left >= i.right || b.right <= i.left || b.top >= i.bottom || b.bottom <= i.top),
            focusColor: getComputedStyle(field).outlineColor,
          };
        });
        shots.push(await keepScreenshot(page, `admin-dashboard-${name}-${width}`));
        expect({ ...layout, overflow: layout.overflow <= 0 }, `${width} px`).to.deep.equal({
          bodyMargin: '0px',
          overflow: true, // nothing wider than the screen (a scrollbar may make it narrower)
          inputInCard: true,
          overlap: false,
          focusColor: 'rgb(26, 95, 180)',
        });
      }
      // The sign-in card too, in a second tab (this one stays signed in).
      const signIn = await browser.newPage();
      try {
        for (const width of [375, 1280]) {
          await signIn.setViewport({ width, height: 700 });
          await signIn.goto(`${ledger.url}/admin`, { waitUntil: 'load' });
          await waitDeep(signIn, '#key');
          const fits = await signIn.evaluate(() => {
            const app = document.querySelector('consent-admin-app')?.shadowRoot;
            const key = app?.querySelector('#key')?.getBoundingClientRect();
            const card = app?.querySelector('section.login')?.getBoundingClientRect();
            return key && card ? key.left >= card.left && key.right <= card.right : false;
          });
          shots.push(await keepScreenshot(signIn, `admin-sign-in-${name}-${width}`));
          expect(fits, `${width} px: the key field inside its card`).to.equal(true);
        }
      } finally {
        await signIn.close();
      }
      console.log(`[e2e] /admin screenshots for review:\n  ${shots.join('\n  ')}`);
    });

    it('shows the failed deliveries panel in a clear state', async () => {
      const probe = await fetch(`${ledger.url}/v1/partners/deliveries?status=failed&limit=50`, {
        headers: { authorization: `Bearer ${API_KEY}` },
      });
      // Without the partner queue the panel says "not available"; with it, a read key is refused
      // (the log needs admin scope) and the panel says so.
      const expected = probe.status === 404 ? '[data-field="not-available"]' : '[data-field="forbidden"]';
      const state = await waitDeep(page, expected);
      expect(await textOf(state)).to.match(probe.status === 404 ? /Not available/ : /admin scope/);
    });

    it('the whole dashboard passes axe, and focus is visible on its controls (R61)', async () => {
      await expectAccessible(page, `/admin dashboard (${name})`);
      const button = await waitDeep(page, 'consent-admin-subject-lookup');
      const outline = await button.evaluate((host) => {
        const b = host.shadowRoot?.querySelector('button');
        b?.focus();
        return b ? getComputedStyle(b).outlineStyle : '';
      });
      expect(outline).to.equal('solid');
      expect(pageErrors).to.deep.equal([]);
    });

    it('an admin key also sees the delivery log (or "not available"), and signing out forgets the key', async () => {
      const signOut = await waitDeep(page, 'header button');
      await signOut.click();
      const input = await waitDeep(page, '#key');
      expect(await page.evaluate(() => sessionStorage.getItem('consentkit-admin-key'))).to.equal(null);
      await input.type(API_KEY);
      await page.keyboard.press('Enter');
      const state = await eventually(async () => {
        for (const sel of ['[data-field="not-available"]', '[data-field="empty"]', '[data-delivery]']) {
          if (await deep(page, sel)) return sel;
        }
        return undefined;
      }, 'the delivery panel');
      expect(state).to.not.equal(undefined);
      await (await waitDeep(page, 'header button')).click();
      await waitDeep(page, '#key');
      expect(await page.evaluate(() => sessionStorage.length)).to.equal(0);
    });
  });
}
