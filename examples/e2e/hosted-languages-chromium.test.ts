/**
 * The hosted pages in all 18 languages, in Chromium against the real server (`startLedger`: the
 * wiring `pnpm start` uses). One browser and one tab for the whole file: for each language the tab
 * visits the home page, the unsubscribe page, the preference centre, the confirmation page and the
 * uniform 404 at 320 px, and checks that
 * - no element reaches past the screen's edge and no text is clipped (language switcher open too);
 * - ar and he pages run right to left: dir="rtl", headings and paragraphs start at the right edge,
 *   the notice's bar on the right (no left-anchored layout);
 * - axe is clean (WCAG 2.0–2.2 A/AA) in a sample: ar, he, ja, zh-Hans, de;
 * - the record the preference page writes names the language of the purpose words shown and
 *   carries the SHA-256 of exactly the words read off the screen (fr: the policy's French; ja and
 *   ar: the policy has no translation, so its English, marked lang="en").
 * Screenshots of the ar and ja preference pages go to test-results/screenshots/ for review.
 */
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createPerson } from '@consentkit/test-support/people';
import { expect } from 'chai';
import type { Page } from 'puppeteer-core';
import { LOCALES } from '../../packages/server/src/platform/i18n/locale.js';
import { expectAccessible } from './support/axe.js';
import { type E2EBrowser, launchBrowser, startWithBrowser } from './support/browsers.js';
import { startLedger, type TestLedger } from './support/ledger.js';
import { keepScreenshot } from './support/screenshots.js';

const WIDTH = 320;
const AXE_SAMPLE = new Set(['ar', 'he', 'ja', 'zh-Hans', 'de']);
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Elements past either edge of the viewport, and elements whose text is cut off by their box. */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate((width: number) => {
    // No named inner functions here: tsx would wrap them in a `__name` helper the page lacks.
    const problems: string[] = [];
    if (document.documentElement.scrollWidth > width) {
      problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} px wide`);
    }
    for (const el of document.body.querySelectorAll('*')) {
      // The skip link is hidden (clip-path) until focused, by design.
      if (el.closest('.skip') || el.closest('details:not([open]) > :not(summary)')) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 && rect.height === 0) continue;
      const label = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${String(el.className)} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
      if (rect.left < -0.5 || rect.right > width + 0.5) {
        problems.push(`${label} spans ${Math.round(rect.left)}–${Math.round(rect.right)} px`);
      }
      const style = getComputedStyle(el);
      const clipsX = ['hidden', 'clip'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
      const clipsY = ['hidden', 'clip'].includes(style.overflowY) && el.scrollHeight > el.clientHeight + 1;
      if (clipsX || clipsY || (style.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1)) {
        problems.push(`${label} clips its text`);
      }
    }
    return problems;
  }, WIDTH);
}

/** In a right-to-left page: blocks whose first line does not start at their right edge. */
async function leftAnchored(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    if (document.documentElement.dir !== 'rtl') problems.push(`dir is "${document.documentElement.dir}"`);
    for (const el of document.querySelectorAll('main h1, main h2, main p, footer p, header .brand')) {
      if (el.closest('[dir="ltr"]')) continue; // the policy's English words keep their own direction
      const range = document.createRange();
      range.selectNodeContents(el);
      // The first line's fragments (bidi runs such as "README.md" are fragments of their own): in a
      // right-to-left block the line starts at the right, so its rightmost fragment touches the edge.
      const rects = [...range.getClientRects()].filter((r) => r.width > 0);
      if (rects.length === 0) continue;
      const top = Math.min(...rects.map((r) => r.top));
      const lineRight = Math.max(...rects.filter((r) => Math.abs(r.top - top) < 2).map((r) => r.right));
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      const contentRight =
        box.right - Number.parseFloat(style.paddingRight) - Number.parseFloat(style.borderRightWidth);
      if (Math.abs(lineRight - contentRight) > 2) {
        problems.push(
          `${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().slice(0, 30)}" starts at ${Math.round(lineRight)}, not ${Math.round(contentRight)}`,
        );
      }
    }
    for (const notice of document.querySelectorAll('.notice')) {
      const style = getComputedStyle(notice);
      if (style.borderLeftWidth !== '0px' || style.borderRightWidth === '0px') {
        problems.push(`.notice's bar is on the left (${style.borderLeftWidth} / ${style.borderRightWidth})`);
      }
    }
    return problems;
  });
}

describe('hosted pages in 18 languages at 320 px (chromium)', () => {
  let ledger: TestLedger;
  let browser: E2EBrowser;
  let page: Page;
  /** One person for the whole file: each language's pages show their links. */
  const paths = { unsubscribe: '', preferences: '', confirm: '' };
  let email = '';

  before(async () => {
    [ledger, browser] = await startWithBrowser(startLedger(), launchBrowser('chromium'));
    page = await browser.newPage();
    await page.setViewport({ width: WIDTH, height: 720 });
    // Someone typed this address into a form and ticked partner sharing (a device-signed grant):
    // pending, so the sender's links include a /c confirmation link.
    email = `lang-${Date.now()}@example.com`;
    const person = await createPerson({ policy: ledger.context.policies.current, email });
    const signed = await person.sign({
      decisions: [{ purpose: 'partner-sharing', granted: true, basis: 'express', interaction: 'pointer' }],
    });
    const posted = await fetch(`${ledger.url}/v1/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ records: [{ jws: signed.jws, opening: signed.opening }] }),
    });
    expect(posted.status).to.equal(200);
    const links = await ledger.linksFor(email, 'marketing');
    const confirm = (await ledger.linksFor(email, 'partner-sharing')).confirmations[0];
    expect(confirm, 'a confirmation link for the pending grant').to.not.equal(undefined);
    paths.unsubscribe = new URL(links.unsubscribeUrl).pathname;
    paths.preferences = new URL(links.preferencesUrl).pathname;
    paths.confirm = new URL(confirm?.url ?? '').pathname;
  });
  after(async () => {
    await browser?.close();
    await ledger?.stop();
  });

  for (const locale of LOCALES) {
    it(`${locale}: every page fits 320 px, nothing clipped${['ar', 'he'].includes(locale) ? ', right to left' : ''}${AXE_SAMPLE.has(locale) ? ', axe clean' : ''}`, async () => {
      const pages = [
        ['home', '/'],
        ['unsubscribe', paths.unsubscribe],
        ['preferences', paths.preferences],
        ['confirmation', paths.confirm],
        ['404', '/u/not-a-token'],
      ] as const;
      for (const [label, path] of pages) {
        const where = `${locale} ${label}`;
        await page.goto(`${ledger.url}${path}?lang=${encodeURIComponent(locale)}`, { waitUntil: 'load' });
        expect(await page.$eval('html', (h) => h.lang), where).to.equal(locale);
        expect(await layoutProblems(page), where).to.deep.equal([]);
        if (locale === 'ar' || locale === 'he') expect(await leftAnchored(page), where).to.deep.equal([]);
        if (AXE_SAMPLE.has(locale)) await expectAccessible(page, where);
        if (label === 'preferences') {
          // The switcher, opened: 18 names, each in its own language, still within the screen.
          await page.click('details.languages > summary');
          const names = await page.$$eval('details.languages a', (as) =>
            as.map((a) => ({ lang: a.getAttribute('lang'), current: a.getAttribute('aria-current') })),
          );
          expect(names.map((n) => n.lang)).to.deep.equal([...LOCALES]);
          expect(names.filter((n) => n.current === 'true').map((n) => n.lang)).to.deep.equal([locale]);
          expect(await layoutProblems(page), `${where}, switcher open`).to.deep.equal([]);
          if (AXE_SAMPLE.has(locale)) await expectAccessible(page, `${where}, switcher open`);
          if (locale === 'ar' || locale === 'ja') {
            console.log(`[e2e] ${await keepScreenshot(page, `hosted-preferences-${locale}-${WIDTH}`)}`);
          }
        }
      }
    });
  }

  it('the switcher is plain GET links: following one keeps the token page and changes its language', async () => {
    await page.goto(`${ledger.url}${paths.preferences}?lang=en`, { waitUntil: 'load' });
    await page.click('details.languages > summary');
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      page.click('details.languages a[hreflang="he"]'),
    ]);
    expect(new URL(page.url()).pathname).to.equal(paths.preferences);
    expect(await page.$eval('html', (h) => [h.lang, h.dir])).to.deep.equal(['he', 'rtl']);
  });

  for (const [locale, policyLocale] of [
    ['fr', 'fr'],
    ['ja', 'en'],
    ['ar', 'en'],
  ] as const) {
    it(`${locale}: the record names ${policyLocale} and hashes the purpose words read off the screen`, async () => {
      await page.goto(`${ledger.url}${paths.preferences}?lang=${locale}`, { waitUntil: 'load' });
      const shown = await page.$eval('li.purpose[data-purpose="marketing"]', (li) => ({
        title: li.querySelector('h3')?.textContent ?? '',
        description: li.querySelector('.purpose-description')?.textContent ?? '',
        lang: li.querySelector('h3')?.getAttribute('lang') ?? null,
      }));
      expect(shown.lang, 'the policy words carry their language when it is not the page’s').to.equal(
        policyLocale === locale ? null : policyLocale,
      );
      const before = (await ledger.recordsOf(email)).length;
      await Promise.all([
        page.waitForNavigation({ waitUntil: 'load' }),
        page.click('li.purpose[data-purpose="marketing"] button'),
      ]);
      if (locale === 'ar') {
        // The answer's "saved" notice: its bar on the right, like the rest of the page.
        expect(await page.$$eval('.notice', (n) => n.length)).to.be.at.least(1);
        expect(await leftAnchored(page)).to.deep.equal([]);
      }
      const records = await ledger.recordsOf(email);
      expect(records.length).to.equal(before + 1);
      const record = records.at(-1)?.record;
      expect(record?.locale).to.equal(policyLocale);
      const decision = record?.decisions.find((d) => d.purpose === 'marketing');
      expect(decision?.wording?.sha256).to.equal(sha256(`${shown.title}. ${shown.description}`));
    });
  }
});
