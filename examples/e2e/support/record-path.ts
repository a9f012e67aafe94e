/**
 * The drop-in's record path (SDK client, signing, outbox, transport) is a chunk loaded after the
 * controls are usable, against the real ledger in a real browser: with that chunk held back by
 * the site, the box renders with its policy's mode and takes a click, and a submit made before
 * the chunk arrives still gives exactly one record with the person's choice and its id in the
 * form once it does. A submit right after the first paint, without waiting for anything, does too.
 * A first visit that nobody interacts with never fetches the chunk; a returning visitor whose
 * browser holds records fetches it at idle.
 */
import { after, before, describe, it } from 'node:test';
import { expect } from 'chai';
import type { BrowserContext, Page } from 'puppeteer-core';
import { type BrowserName, type E2EBrowser, eventually, launchBrowser, startWithBrowser } from './browsers.js';
import { ensureDropIn } from './drop-in.js';
import { startLedger, type TestLedger } from './ledger.js';
import { type ProxySite, startSite } from './proxy-site.js';

const RECORD_CHUNK = /^consentkit-record-[\w-]+\.js$/;

/** One form: the implied purpose, the email, a marketing box (opt-out in the policy); the page keeps what it saw. */
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>ConsentKit record path test</title>
<script>
  window.seen = { changes: [], captured: [], errors: [] };
  document.addEventListener('consent-change', (event) => window.seen.changes.push(event.detail));
  document.addEventListener('consent-captured', (event) => window.seen.captured.push(event.detail.recordId));
  document.addEventListener('consent-error', (event) => window.seen.errors.push(event.detail.code));
  // Hashing or signing inside a submit's own task: the page's (and the browser's) work for that
  // click would wait behind it. The task ends where a yield queued first in it resumes.
  window.seen.inSubmitTask = [];
  let inSubmitTask = false;
  const nextTask = () => (window.scheduler?.yield ? scheduler.yield() : new Promise((resume) => setTimeout(resume, 0)));
  window.addEventListener('submit', () => {
    inSubmitTask = true;
    nextTask().then(() => { inSubmitTask = false; });
  }, true);
  for (const name of ['digest', 'sign']) {
    const original = crypto.subtle[name].bind(crypto.subtle);
    crypto.subtle[name] = (...args) => {
      if (inSubmitTask) window.seen.inSubmitTask.push(name);
      return original(...args);
    };
  }
</script>
<script type="module" src="/assets/consentkit.js"></script>
</head>
<body>
<consent-config endpoint="/"></consent-config>
<form id="apply" data-consent-purpose="application-processing" data-consent-identifier="email" onsubmit="event.preventDefault()">
  <label>Email <input name="email" type="email" value="record-path@example.com"></label>
  <consent-checkbox id="box" name="box" purpose="marketing">Don't send me offers</consent-checkbox>
  <button id="send">Send</button>
</form>
</body>
</html>`;

type Change = { purpose: string; mode: string; checked: boolean; granted: boolean; interaction: string };
type Seen = { changes: Change[]; captured: string[]; errors: string[]; inSubmitTask: string[] };

async function seen(page: Page): Promise<Seen> {
  return page.evaluate(() => (window as unknown as { seen: Seen }).seen);
}

async function recordField(page: Page): Promise<string | undefined> {
  return page.evaluate(
    () => (document.querySelector('input[name="consentkit-record"]') as HTMLInputElement | null)?.value,
  );
}

export function describeRecordPath(name: BrowserName): void {
  describe(`the record path loads after the control is usable, in ${name}`, { concurrency: false }, () => {
    let ledger: TestLedger;
    let browser: E2EBrowser;
    let site: ProxySite;

    before(async () => {
      await ensureDropIn();
      [ledger, browser] = await startWithBrowser(startLedger(), launchBrowser(name));
      site = await startSite(ledger, () => PAGE);
    });

    after(async () => {
      await browser?.close();
      await site?.close();
      await ledger?.stop();
    });

    /** Opens the page in `context` and clicks the box as soon as it has rendered. */
    async function openAndTickBox(context: BrowserContext): Promise<Page> {
      const page = await context.newPage();
      await page.goto(`${site.origin}/page`, { waitUntil: 'domcontentloaded' });
      await page.waitForFunction(() => document.querySelector('#box')?.shadowRoot?.querySelector('input') != null, {
        timeout: 15_000,
      });
      await page.click('#box');
      return page;
    }

    /** The new entries since `before`, once there are some, and exactly those. */
    async function newEntries(before: number) {
      return eventually(async () => {
        const all = await ledger.allEntries();
        return all.length > before ? all.slice(before) : undefined;
      }, 'no record reached the ledger');
    }

    it('a first visit nobody interacts with never fetches the record chunk; a key press does; a returning visitor’s page fetches it at idle', async () => {
      const context = await browser.browser.createBrowserContext();
      const before = (await ledger.allEntries()).length;
      /** The record chunk as this page fetched it (Resource Timing: the network or a cache). */
      const fetchedChunk = (page: Page) =>
        page.evaluate(() =>
          performance.getEntriesByType('resource').some((e) => /\/consentkit-record-[\w-]+\.js$/.test(e.name)),
        );
      const usable = (page: Page) =>
        page.waitForFunction(
          () =>
            (document.querySelector('#box') as (HTMLElement & { effectiveMode?: string }) | null)?.effectiveMode ===
            'opt-out',
          { timeout: 15_000 },
        );
      try {
        const page = await context.newPage();
        await page.goto(`${site.origin}/page`, { waitUntil: 'load' });
        await usable(page);
        // Past the loader's idle timeout (2 s) with the page idle: nothing stored, no GPC, no input.
        await new Promise((wake) => setTimeout(wake, 3_000));
        expect(await fetchedChunk(page), 'the record chunk, without any interaction').to.equal(false);
        // The first key press (Tab to the email field): preloaded, then evaluated at idle.
        await page.keyboard.press('Tab');
        await eventually(
          async () => ((await fetchedChunk(page)) ? true : undefined),
          'no record chunk after a key press',
        );
        await page.click('#box');
        await page.click('#send');
        const recordId = await eventually(() => recordField(page), 'the record id never reached the form');
        expect((await newEntries(before)).map((e) => e.recordId)).to.deep.equal([recordId]);
        // The same browser comes back: its outbox store holds the history, so the record path has
        // work at load (the person's state) and comes at idle without any interaction.
        const again = await context.newPage();
        await again.goto(`${site.origin}/page`, { waitUntil: 'load' });
        await usable(again);
        await eventually(
          async () => ((await fetchedChunk(again)) ? true : undefined),
          'no record chunk at idle for a returning visitor',
        );
        expect((await seen(again)).errors).to.deep.equal([]);
        expect((await seen(page)).errors).to.deep.equal([]);
      } finally {
        await context.close();
      }
    });

    it('with the record chunk held back: the box renders with its mode and takes a click; the submit waits for the chunk and records once', async () => {
      const context = await browser.browser.createBrowserContext();
      const before = (await ledger.allEntries()).length;
      const askedBefore = site.requests(RECORD_CHUNK);
      site.hold(RECORD_CHUNK);
      try {
        const page = await context.newPage();
        await page.goto(`${site.origin}/page`, { waitUntil: 'domcontentloaded' });
        // Usable without the record path: the policy's mode (opt-out), a native box inside.
        await page.waitForFunction(
          () =>
            (document.querySelector('#box') as (HTMLElement & { effectiveMode?: string }) | null)?.effectiveMode ===
              'opt-out' && document.querySelector('#box')?.shadowRoot?.querySelector('input') !== null,
          { timeout: 15_000 },
        );
        await page.click('#box');
        expect(await page.$eval('#box', (box) => (box as HTMLElement & { checked: boolean }).checked)).to.equal(true);
        expect((await seen(page)).changes).to.deep.equal([
          { purpose: 'marketing', mode: 'opt-out', checked: true, granted: false, interaction: 'pointer' },
        ]);
        // The chunk is still held: the submit is read now and recorded when it arrives.
        await page.click('#send');
        expect(await recordField(page), 'no record id before the record path loaded').to.equal(undefined);
        expect((await ledger.allEntries()).length).to.equal(before);
        site.release();
        const recordId = await eventually(() => recordField(page), 'the record id never reached the form');
        const entries = await newEntries(before);
        expect(
          entries.map((e) => e.recordId),
          'exactly one record',
        ).to.deep.equal([recordId]);
        // consent-captured follows the id in the form (that is set as soon as the record is in the outbox).
        const captured = await eventually(async () => {
          const ids = (await seen(page)).captured;
          return ids.length > 0 ? ids : undefined;
        }, 'no consent-captured on the form');
        expect(captured).to.deep.equal([recordId]);
        const decisions = entries[0]?.record.decisions ?? [];
        expect(decisions.find((d) => d.purpose === 'marketing')).to.include({
          granted: false,
          basis: 'opt-out',
          interaction: 'pointer',
        });
        expect(decisions.find((d) => d.purpose === 'application-processing')).to.include({
          granted: true,
          basis: 'implied',
        });
        // Preloaded and imported: one request for the chunk, however it was asked for.
        expect(site.requests(RECORD_CHUNK) - askedBefore).to.equal(1);
        expect((await seen(page)).errors).to.deep.equal([]);
      } finally {
        site.release();
        await context.close();
      }
    });

    it('a submit right after the first paint gives exactly one record with the person’s choice', async () => {
      const context = await browser.browser.createBrowserContext();
      const before = (await ledger.allEntries()).length;
      try {
        // No wait for the policy or the record path: the first render is enough.
        const page = await openAndTickBox(context);
        await page.click('#send');
        const recordId = await eventually(() => recordField(page), 'the record id never reached the form');
        // Whatever mode the box had when it was clicked (the policy may still have been loading),
        // the record holds what the person did.
        const [change] = (await seen(page)).changes;
        expect(change?.interaction).to.equal('pointer');
        const entries = await newEntries(before);
        expect(
          entries.map((e) => e.recordId),
          'exactly one record',
        ).to.deep.equal([recordId]);
        const marketing = (entries[0]?.record.decisions ?? []).find((d) => d.purpose === 'marketing');
        expect(marketing).to.include({ granted: change?.granted, basis: 'opt-out', interaction: 'pointer' });
        // Nothing else arrives later (a second signing, a retry under another id).
        await new Promise((wake) => setTimeout(wake, 1_000));
        expect((await ledger.allEntries()).length - before).to.equal(1);
      } finally {
        await context.close();
      }
    });

    it('the submit’s own task only reads the form: hashing and signing come in later tasks, and each submit is one record', async () => {
      const context = await browser.browser.createBrowserContext();
      const before = (await ledger.allEntries()).length;
      try {
        const page = await openAndTickBox(context);
        // The first submit may find the client still starting; the second finds it ready, which
        // is when the work could run inside the submit's task.
        const ids: string[] = [];
        for (const n of [1, 2]) {
          await page.click('#send');
          const id = await eventually(async () => {
            const captured = (await seen(page)).captured;
            return captured.length === n ? captured[n - 1] : undefined;
          }, `no consent-captured for submit ${n}`);
          expect(await recordField(page)).to.equal(id);
          ids.push(id as string);
        }
        const entries = await eventually(async () => {
          const all = (await ledger.allEntries()).slice(before);
          return all.length >= 2 ? all : undefined;
        }, 'the two records never reached the ledger');
        expect(
          entries.map((e) => e.recordId),
          'one record per submit, under the ids the form carried',
        ).to.deep.equal(ids);
        const observed = await seen(page);
        expect(observed.inSubmitTask, 'WebCrypto work inside a submit task').to.deep.equal([]);
        expect(observed.errors).to.deep.equal([]);
      } finally {
        await context.close();
      }
    });
  });
}
