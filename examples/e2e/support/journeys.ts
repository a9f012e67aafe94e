/**
 * The end-to-end journeys, run in one browser against the real server. chromium.test.ts and
 * firefox.test.ts each call {@link describeJourneys}, so the two browsers run side by side, each
 * with its own ledger (a fresh PGlite store) and its own browser profile. One file over 400 lines
 * on purpose: the journeys share that ledger, that browser and the person's steps (open the form,
 * fill it, submit, wait for the record), so each journey reads as the story it tells.
 *
 * Requirements checked: R39–R42 (one-click unsubscribe), R45–R50 (GPC), R51–R52 (Consent Mode),
 * R19/R27 (withdraw as easily as granting), R62–R64 (delivery survives navigation and outages),
 * R16 and R43 (a grant counts once the site attests it or the person confirms it from the inbox),
 * WCAG 2.2 AA through axe.
 */
import { after, before, describe, it } from 'node:test';
import { isPermitted, uuidv7Time } from '@consentkit/core';
import type { UnsubscribeLinks } from '@consentkit/server';
import { exposeIdentifiers } from '@consentkit/test-support/identifiers';
import { expect } from 'chai';
import type { Page } from 'puppeteer-core';
import { generateDkimKey, headerValue, verifyDkim } from '../../email/dkim.js';
import { composeMarketingEmail, renderMarketingEmail, sendOverSmtp } from '../../email/mailer.js';
import { startSmtpSink } from '../../email/smtp-sink.js';
import { expectAccessible } from './axe.js';
import {
  type BrowserName,
  type E2EBrowser,
  eventually,
  launchBrowser,
  shadowText,
  startWithBrowser,
  waitForBoxModes,
  waitForElements,
} from './browsers.js';
import { ensureDropIn } from './drop-in.js';
import { type LedgerEntryView, type SubjectRecord, startLedger, type TestLedger } from './ledger.js';
import { expectSignedAndReceipted } from './records.js';
import { keepScreenshot } from './screenshots.js';

const FORM_PATH = '/examples/application-form/';
const MARKETING_PATH = '/examples/marketing-site/';

type Decision = SubjectRecord['record']['decisions'][number];
type DataLayerEntry = [string, string, Record<string, unknown>];

const decisionFor = (entry: SubjectRecord | { record: SubjectRecord['record'] }, purpose: string): Decision => {
  const decision = entry.record.decisions.find((d) => d.purpose === purpose);
  if (!decision)
    throw new Error(`the record has no decision for ${purpose}: ${JSON.stringify(entry.record.decisions)}`);
  return decision;
};

/** The interaction that counts for a decision: its own, else the record's (ADR 0002). */
const interactionOf = (entry: SubjectRecord, decision: Decision) => decision.interaction ?? entry.record.interaction;

export function describeJourneys(name: BrowserName): void {
  describe(`end-to-end journeys in ${name}`, { concurrency: false }, () => {
    let ledger: TestLedger;
    let browser: E2EBrowser;
    let serial = 0;
    /** A second browser with Global Privacy Control on, launched on first use (2b, 2d). */
    let gpcBrowser: E2EBrowser | undefined;
    const withGpc = async (): Promise<E2EBrowser> => {
      gpcBrowser ??= await launchBrowser(name, { gpc: true });
      return gpcBrowser;
    };
    const uniqueEmail = (who: string) => {
      const email = `${who}+${name}-${Date.now().toString(36)}-${++serial}@example.com`;
      exposeIdentifiers('email', email); // for the log scan (packages/server/test/ops)
      return email;
    };

    before(async () => {
      await ensureDropIn();
      [ledger, browser] = await startWithBrowser(startLedger(), launchBrowser(name));
    });
    after(async () => {
      await gpcBrowser?.close();
      await browser?.close();
      await ledger?.stop();
    });

    /** A page whose console errors and uncaught exceptions show up in the test output. */
    async function newPage(from: E2EBrowser = browser): Promise<Page> {
      const page = await from.newPage();
      page.on('pageerror', (error) => console.error(`[${name} page error] ${String(error)}`));
      return page;
    }

    /**
     * A page in a new browser context (own IndexedDB, so its own device key, outbox and history):
     * the person on the marketing site must not inherit choices the form journeys made earlier
     * in this browser.
     */
    async function freshPage(): Promise<Page> {
      const context = await browser.browser.createBrowserContext();
      const page = await context.newPage();
      page.on('pageerror', (error) => console.error(`[${name} page error] ${String(error)}`));
      page.once('close', () => void context.close().catch(() => {}));
      return page;
    }

    async function openForm(page: Page): Promise<void> {
      await page.goto(`${ledger.url}${FORM_PATH}`, { waitUntil: 'load' });
      await waitForElements(page, ['consent-checkbox', 'consent-notice', 'consent-config']);
      await waitForBoxModes(page);
    }

    async function fillIdentity(page: Page, fullName: string, email: string): Promise<void> {
      await page.type('#name', fullName);
      await page.type('#email', email);
    }

    async function tick(page: Page, selector: string): Promise<void> {
      await page.click(selector);
      await page.waitForFunction(
        (s: string) => document.querySelector<HTMLElement & { checked: boolean }>(s)?.checked === true,
        { timeout: 5_000 },
        selector,
      );
    }

    /** Submits and waits for the application's answer page; returns the record id it shows. */
    async function submit(page: Page): Promise<string> {
      await Promise.all([
        page.waitForNavigation({ waitUntil: 'load', timeout: 20_000 }),
        page.click('button[type="submit"]'),
      ]);
      expect(await page.$eval('h1', (h) => h.textContent)).to.equal('Application received');
      const shown = await page.$eval('[data-field="consent-record"]', (cell) => cell.textContent?.trim() ?? '');
      expect(uuidv7Time(shown), `the application received a consent record id (${shown})`).to.be.a('number');
      return shown;
    }

    /**
     * Waits until the ledger holds `count` records of the person's own for `email` (the ledger's
     * attestation records about them left out), and until the form's backend has finished
     * attesting what it received (so later counts are stable), then a moment more to catch
     * duplicates. `attestation: false` while attestations are held (1c).
     */
    async function recordsOnceSettled(
      email: string,
      count = 1,
      options: { attestation?: boolean } = {},
    ): Promise<SubjectRecord[]> {
      const own = async () => (await ledger.recordsOf(email)).filter((e) => e.record.attests === undefined);
      await eventually(
        async () => ((await own()).length >= count ? true : undefined),
        `the ledger never received ${count} record(s) for ${email}`,
        15_000,
      );
      if (options.attestation !== false) {
        for (const { consentRecord } of ledger.applications.filter((a) => a.email === email)) {
          if (consentRecord) await attestationOf(consentRecord);
        }
      }
      await new Promise((wake) => setTimeout(wake, 400));
      return own();
    }

    /** How the form's backend's attestation of `recordId` ended (it runs after the answer). */
    function attestationOf(recordId: string) {
      return eventually(
        async () => ledger.attestations.find((a) => a.recordId === recordId)?.outcome,
        `the application form's backend never finished attesting ${recordId}`,
        60_000,
      );
    }

    /** The backend's attestation of `recordId`; fails with the reason when it could not attest. */
    async function attestedOk(recordId: string) {
      const outcome = await attestationOf(recordId);
      if (!outcome.ok) throw new Error(`attesting ${recordId} failed: ${outcome.error.message}`);
      return outcome.attestation;
    }

    it('1. application form: opt out of marketing + share with partners → one signed, receipted record', async () => {
      const page = await newPage();
      // The form's elements and the SDK client share one policy load (a revalidation is one too).
      const policyLoads: string[] = [];
      page.on('request', (request) => {
        if (new URL(request.url()).pathname === '/v1/policy') policyLoads.push(request.method());
      });
      try {
        const email = uniqueEmail('ada');
        await openForm(page);
        await fillIdentity(page, 'Ada Lovelace', email);
        await tick(page, '#no-marketing');
        await tick(page, '#share-with-partners');
        const recordId = await submit(page);
        expect(policyLoads, 'GET /v1/policy once for the whole page').to.deep.equal(['GET']);

        const received = ledger.applications.find((a) => a.email === email);
        expect(received, 'the application handler got the form').to.not.equal(undefined);
        expect(received?.consentRecord, 'the handler received the record id').to.equal(recordId);
        expect(received?.noMarketing).to.equal(true);
        expect(received?.shareWithPartners).to.equal(true);

        const records = await recordsOnceSettled(email);
        expect(records, 'exactly one record for that email').to.have.length(1);
        const [entry] = records as [SubjectRecord];
        expect(entry.recordId).to.equal(recordId);
        expect(entry.record.method).to.equal('form-submit');
        expect(entry.record.subject.kind, 'the subject is a commitment, never the email').to.equal('commitment');
        expect(entry.jws.includes(email) || JSON.stringify(entry.record).includes(email)).to.equal(false);

        const marketing = decisionFor(entry, 'marketing');
        expect(marketing, 'marketing opted out').to.include({ granted: false, basis: 'opt-out' });
        const sharing = decisionFor(entry, 'partner-sharing');
        expect(sharing, 'partner sharing granted by an express act').to.include({ granted: true, basis: 'express' });
        expect(sharing.preChecked ?? false).to.equal(false);
        expect(['pointer', 'keyboard']).to.include(interactionOf(entry, sharing));
        expect(sharing.wording?.sha256, 'the wording shown is hashed into the record').to.match(/^[0-9a-f]{64}$/);
        const application = decisionFor(entry, 'application-processing');
        expect(application, 'application by implied consent').to.include({ granted: true, basis: 'implied' });

        await expectSignedAndReceipted(ledger.url, entry);

        // The browser's record alone is `device` assurance: the express grant counts once the
        // form's backend has attested it with the SDK's attestor (1c shows the pending state).
        await attestedOk(recordId);
        const state = await ledger.stateOf(email);
        expect(state.marketing?.status).to.not.equal('granted');
        expect(state['partner-sharing']?.status).to.equal('granted');
        expect(state['application-processing']?.status).to.equal('granted');
      } finally {
        await page.close();
      }
    });

    /**
     * A person applies with the express box ticked while the backend's attestations are held: the
     * record is `device` assurance, the grant pending and "may we?" no. Returns the address and record id.
     */
    async function typedExpressGrant(page: Page, who: string, fullName: string) {
      const email = uniqueEmail(who);
      await openForm(page);
      await fillIdentity(page, fullName, email);
      await tick(page, '#share-with-partners');
      const recordId = await submit(page);
      const [entry] = (await recordsOnceSettled(email, 1, { attestation: false })) as [SubjectRecord];
      expect(entry.recordId).to.equal(recordId);
      expect(decisionFor(entry, 'partner-sharing')).to.include({ granted: true, basis: 'express' });
      // Typed into a browser form: anyone could have typed this address, so it does not count yet.
      expect(await ledger.assuranceOf(recordId)).to.equal('device');
      const state = await ledger.stateOf(email);
      expect(state['partner-sharing'], 'typed into a form: pending').to.include({
        status: 'pending',
        reason: 'awaiting-assurance',
        recordId,
      });
      expect(isPermitted(state, 'partner-sharing'), '"may we?" while pending').to.equal(false);
      return { email, recordId };
    }

    it('1c. application form: an express grant is pending on the ledger until the backend attests it, then granted (R16)', async () => {
      const page = await newPage();
      const hold = ledger.holdAttestations();
      try {
        const { email, recordId } = await typedExpressGrant(page, 'katherine', 'Katherine Johnson');
        expect(ledger.attestations.some((a) => a.recordId === recordId)).to.equal(false);

        hold.release();
        const attestation = await attestedOk(recordId);
        expect(attestation.attests).to.equal(recordId);
        expect(await ledger.assuranceOf(attestation.recordId)).to.equal('site');
        expect((await ledger.stateOf(email))['partner-sharing']?.status).to.equal('granted');
      } finally {
        hold.release();
        await page.close();
      }
    });

    it("1d. application form: a script's click never yields an express grant, even attested; a real Space press is keyboard (R16, B3)", async () => {
      const page = await newPage();
      try {
        const email = uniqueEmail('mallory');
        await openForm(page);
        await fillIdentity(page, 'Mallory Script', email);
        // Page script ticks the express box every way it can: the box, its inner input, a dispatched click.
        await page.evaluate(() => {
          const box = document.querySelector<HTMLElement>('#share-with-partners');
          box?.click();
          box?.click();
          box?.shadowRoot?.querySelector('input')?.click();
          box?.click();
          box?.dispatchEvent(new MouseEvent('click', { bubbles: true }));
        });
        expect(
          await page.$eval('#share-with-partners', (box) => (box as HTMLElement & { checked: boolean }).checked),
          'the script did tick the box',
        ).to.equal(true);
        const recordId = await submit(page);
        const received = ledger.applications.find((a) => a.email === email);
        expect(received?.shareWithPartners, 'the form still submits what the box shows').to.equal(true);
        const [entry] = (await recordsOnceSettled(email)) as [SubjectRecord];
        expect(entry.recordId).to.equal(recordId);
        expect(entry.record.decisions.some((d) => d.purpose === 'partner-sharing' && d.granted)).to.equal(false);
        // Even the site's backend vouching for the record grants nothing the person did not do.
        await attestedOk(recordId);
        expect((await ledger.stateOf(email))['partner-sharing']?.status).to.not.equal('granted');

        // The same box, ticked with a real key press, is the person's act.
        const person = uniqueEmail('mary');
        await openForm(page);
        await fillIdentity(page, 'Mary Jackson', person);
        await page.focus('#share-with-partners');
        // ' ', not 'Space': Firefox's driver (WebDriver BiDi) knows the key by its value only.
        await page.keyboard.press(' ');
        await page.waitForFunction(
          () => document.querySelector<HTMLElement & { checked: boolean }>('#share-with-partners')?.checked === true,
          { timeout: 5_000 },
        );
        const keyed = await submit(page);
        const [own] = (await recordsOnceSettled(person)) as [SubjectRecord];
        expect(own.recordId).to.equal(keyed);
        expect(interactionOf(own, decisionFor(own, 'partner-sharing'))).to.equal('keyboard');
        await attestedOk(keyed);
        expect((await ledger.stateOf(person))['partner-sharing']?.status).to.equal('granted');
      } finally {
        await page.close();
      }
    });

    it('1e. application form: a grant typed for an address stays pending until the person confirms it through the mailed /c link, by keyboard alone (R16, R42, R43)', async () => {
      const page = await newPage();
      // The site's backend does not vouch here (as on a site whose backend attests nothing): only
      // the person confirming from their inbox can make the grant count.
      const hold = ledger.holdAttestations();
      try {
        const { email, recordId: grantId } = await typedExpressGrant(page, 'dorothy', 'Dorothy Vaughan');

        // What a sender does (README, "Email senders"): POST /v1/links with its key; the answer
        // carries a confirmation link for each pending grant, which it mails.
        const links = await ledger.linksFor(email, 'partner-sharing');
        expect(links.confirmations, 'one link for the one pending grant').to.have.length(1);
        const [link] = links.confirmations as [(typeof links.confirmations)[number]];
        expect(link).to.include({ purpose: 'partner-sharing', recordId: grantId });
        expect(link.url.startsWith(`${ledger.url}/c/`), link.url).to.equal(true);

        // Opening the link (the person, or a mail scanner) shows the page and writes nothing.
        const entriesBefore = (await ledger.allEntries()).length;
        await page.goto(link.url, { waitUntil: 'load' });
        expect(await page.$eval('h1', (h) => h.textContent?.trim())).to.equal('Confirm your choice');
        expect(await page.$eval('main', (m) => m.textContent)).to.include('Sharing with authorized partners');
        // The form's hidden field, as a second submission (double click, retry) would send it again.
        const form = await page.$eval('form[method="post"]', (f) => ({
          action: (f as HTMLFormElement).action,
          csrf: (f.querySelector('input[name="csrf"]') as HTMLInputElement | null)?.value ?? '',
        }));
        await expectAccessible(page, 'the hosted confirmation page');
        for (const width of [375, 1280]) {
          await page.setViewport({ width, height: 800 });
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          expect(overflow, `/c at ${width} px runs off the screen by ${overflow} px`).to.be.at.most(0);
          const shot = await keepScreenshot(page, `hosted-confirm-${name}-${width}`);
          console.log(`[e2e] confirmation page screenshot for review: ${shot}`);
        }
        await expectAccessible(page, 'the hosted confirmation page at 1280 px');
        await new Promise((wake) => setTimeout(wake, 300));
        expect((await ledger.allEntries()).length, 'GET /c wrote nothing').to.equal(entriesBefore);
        expect((await ledger.stateOf(email))['partner-sharing']?.status, 'GET confirmed nothing').to.equal('pending');

        // Keyboard only: Tab from the top of the page to the button, then Enter.
        await page.reload({ waitUntil: 'load' });
        let presses = 0;
        const onButton = () =>
          page.evaluate(() => document.activeElement?.matches('form[method="post"] button[type="submit"]') ?? false);
        while (!(await onButton())) {
          expect(++presses, 'Tab never reached the confirm button').to.be.at.most(10);
          await page.keyboard.press('Tab');
        }
        await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
        expect(await page.$eval('h1', (h) => h.textContent?.trim())).to.equal('Thank you, your choice is confirmed');

        const after = await ledger.allEntries();
        expect(after, 'the POST wrote one entry').to.have.length(entriesBefore + 1);
        const confirmation = after.at(-1) as LedgerEntryView;
        expect(confirmation.record).to.include({ confirms: grantId, method: 'email-confirmation' });
        expect(confirmation.record.decisions.map((d) => d.purpose)).to.deep.equal(['partner-sharing']);
        expect(await ledger.assuranceOf(confirmation.recordId), 'the person proved the inbox').to.equal('inbox');
        const granted = await ledger.stateOf(email);
        expect(granted['partner-sharing']).to.include({ status: 'granted', recordId: grantId });
        expect(isPermitted(granted, 'partner-sharing'), '"may we?" once confirmed').to.equal(true);

        // A second POST of the same form (double click, retry) answers the same page and writes
        // nothing more; the sender is offered no link any more.
        const again = await fetch(form.action, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ csrf: form.csrf }),
          redirect: 'manual',
        });
        expect(again.status).to.equal(200);
        expect(await again.text()).to.include('your choice is confirmed');
        expect(await ledger.allEntries(), 'no second confirmation').to.have.length(entriesBefore + 1);
        expect((await ledger.linksFor(email, 'partner-sharing')).confirmations).to.deep.equal([]);

        // The backend's late attestation (released now) leaves the confirmed grant granted.
        hold.release();
        await attestedOk(grantId);
        expect(isPermitted(await ledger.stateOf(email), 'partner-sharing')).to.equal(true);
      } finally {
        hold.release();
        await page.close();
      }
    });

    it('1b. application form: everything optional declined → the application still goes through', async () => {
      const page = await newPage();
      try {
        const email = uniqueEmail('grace');
        await openForm(page);
        await fillIdentity(page, 'Grace Hopper', email);
        const recordId = await submit(page);
        const received = ledger.applications.find((a) => a.email === email);
        expect(received?.consentRecord).to.equal(recordId);
        expect(received?.noMarketing).to.equal(false);
        expect(received?.shareWithPartners).to.equal(false);

        const records = await recordsOnceSettled(email);
        expect(records).to.have.length(1);
        const [entry] = records as [SubjectRecord];
        expect(entry.recordId).to.equal(recordId);
        expect(entry.record.decisions.some((d) => d.purpose === 'partner-sharing' && d.granted)).to.equal(false);
        await expectSignedAndReceipted(ledger.url, entry);
        const state = await ledger.stateOf(email);
        expect(state['partner-sharing']?.status, 'an unticked express box is no consent').to.not.equal('granted');
        expect(state.marketing?.status, 'an unticked opt-out box leaves marketing on').to.equal('granted');
        expect(state['application-processing']?.status).to.equal('granted');
      } finally {
        await page.close();
      }
    });

    /** dataLayer as arrays (gtag pushes Arguments objects). */
    const readDataLayer = (page: Page) =>
      page.evaluate(() =>
        ((window as unknown as { dataLayer?: ArrayLike<unknown>[] }).dataLayer ?? []).map((entry) => Array.from(entry)),
      ) as Promise<DataLayerEntry[]>;

    it('1f. application form layout at 375 px: no element is wider than the screen (the notice table stacks its rows)', async () => {
      const page = await newPage();
      try {
        await page.setViewport({ width: 375, height: 800 });
        await openForm(page);
        await page.waitForSelector('consent-notice >>> tbody tr');
        // Every element, inside shadow roots too: none reaches past either edge of the screen.
        const wider = await page.evaluate(() => {
          const found: string[] = [];
          const roots: Array<Document | ShadowRoot> = [document];
          for (let root = roots.pop(); root; root = roots.pop()) {
            for (const element of root.querySelectorAll('*')) {
              if (element.shadowRoot) roots.push(element.shadowRoot);
              const box = element.getBoundingClientRect();
              if (box.width > 0 && (box.left < -0.5 || box.right > window.innerWidth + 0.5)) {
                found.push(`${element.localName} ${Math.round(box.left)}–${Math.round(box.right)} px`);
              }
            }
          }
          return found;
        });
        expect(wider, 'elements wider than the 375 px screen').to.deep.equal([]);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(375);
        // Stacked, each cell still says which column it belongs to (Firefox reports the
        // generated content as written, Chromium as resolved).
        const firstCell = await page.$eval('consent-notice', (notice) => {
          const cell = notice.shadowRoot?.querySelector('tbody td');
          return cell
            ? { label: cell.getAttribute('data-label'), shown: getComputedStyle(cell, '::before').content }
            : {};
        });
        expect(firstCell.label).to.equal('What we collect');
        expect(['"What we collect"', 'attr(data-label)']).to.include(firstCell.shown);
        await expectAccessible(page, 'the application form at 375 px');
      } finally {
        await page.close();
      }
    });

    it('2. marketing site: one-click opt-out → shown opted out and recorded', async () => {
      const page = await freshPage();
      try {
        await page.goto(`${ledger.url}${MARKETING_PATH}`, { waitUntil: 'load' });
        await waitForElements(page, ['consent-optout']);
        const button = await page.waitForSelector('#optout-marketing >>> button', { timeout: 10_000 });
        // A first visit: marketing is an opt-out purpose, on until the person opts out (DESIGN).
        await eventually(
          async () =>
            /not opted out/.test(await shadowText(page, '#optout-marketing', '[part="status"]')) ? true : undefined,
          'a first-time visitor is not shown "not opted out" of marketing',
          5_000,
        );
        await button?.click();
        await eventually(
          async () =>
            /You are opted out/.test(await shadowText(page, '#optout-marketing', '[part="status"]')) ? true : undefined,
          'the opt-out control never showed the opted-out state',
        );
        const optOut = await eventually(
          async () =>
            (await ledger.allEntries()).find(
              (e) =>
                e.record.method === 'checkbox' &&
                e.record.decisions.some((d) => d.purpose === 'marketing' && !d.granted),
            ),
          'the one-click opt-out never reached the ledger',
        );
        expect(decisionFor(optOut, 'marketing').granted).to.equal(false);
        expect(optOut.record.gpc).to.not.equal(true);
      } finally {
        await page.close();
      }
    });

    it('2c. marketing site: Consent Mode default (all seven types) before any update, shown on the page', async () => {
      const page = await freshPage();
      try {
        await page.goto(`${ledger.url}${MARKETING_PATH}`, { waitUntil: 'load' });
        await waitForElements(page, ['consent-optout']);
        const consent = await eventually(async () => {
          const entries = (await readDataLayer(page)).filter((e) => e[0] === 'consent');
          return entries.some((e) => e[1] === 'update') ? entries : undefined;
        }, 'the Consent Mode bridge never pushed default + update to window.dataLayer');
        expect(consent[0]?.[1], 'the first consent command is default (R52)').to.equal('default');
        expect(Object.keys(consent[0]?.[2] ?? {})).to.include.members([
          'ad_storage',
          'ad_user_data',
          'ad_personalization',
          'analytics_storage',
          'functionality_storage',
          'personalization_storage',
          'security_storage',
        ]);
        // The page shows the same list: the first command is the default.
        expect(await page.$eval('#datalayer li', (item) => item.getAttribute('data-action'))).to.equal('default');
      } finally {
        await page.close();
      }
    });

    it('2e. marketing site: agreeing to sharing (an express purpose) turns its Consent Mode types granted; withdrawing denies them (R19, R21, R53)', async () => {
      const page = await freshPage();
      try {
        await page.goto(`${ledger.url}${MARKETING_PATH}`, { waitUntil: 'load' });
        await waitForElements(page, ['consent-optout']);
        const value = (type: string) =>
          page.$eval(`#consent-mode-now tr[data-type="${type}"]`, (row) => row.getAttribute('data-value'));
        await eventually(
          async () => ((await value('ad_user_data')) === 'denied' ? true : undefined),
          'no Consent Mode table',
        );
        // The express purpose is stated truthfully: off until the person agrees, and the one action is
        // the grant. The element knows the purpose is express once the page's policy (a chunk of its
        // own) has landed, which the Consent Mode table above does not wait for.
        const expressOff = 'Sharing with authorized partners: off. We do this only if you agree.';
        let status = '';
        await eventually(async () => {
          status = await shadowText(page, '#optout-sharing', '[part="status"]');
          return status === expressOff ? true : undefined;
        }, 'the express wording').catch(() => {
          throw new Error(`the opt-out never stated the express purpose as off: it said "${status}"`);
        });
        expect((await shadowText(page, '#optout-sharing', 'button')).trim()).to.equal(
          'Agree to Sharing with authorized partners',
        );
        await page.click('#optout-sharing >>> button');
        for (const type of ['ad_user_data', 'ad_personalization']) {
          await eventually(
            async () => ((await value(type)) === 'granted' ? true : undefined),
            `${type} never turned granted`,
          );
        }
        expect(await value('ad_storage'), 'a type no purpose decides keeps its default').to.equal('denied');
        const grant = await eventually(
          async () =>
            (await ledger.allEntries()).find((e) =>
              e.record.decisions.some((d) => d.purpose === 'partner-sharing' && d.granted && d.basis === 'express'),
            ),
          'the ledger never received the express grant',
        );
        expect(grant.record.decisions[0]?.interaction ?? grant.record.interaction).to.equal('pointer');
        await page.click('#optout-sharing >>> button');
        await eventually(
          async () => ((await value('ad_user_data')) === 'denied' ? true : undefined),
          'withdrawing did not deny',
        );
        expect(await shadowText(page, '#optout-sharing', '[part="status"]')).to.equal(
          'Sharing with authorized partners: off. We do this only if you agree.',
        );
      } finally {
        await page.close();
      }
    });

    it('2f. marketing site layout: the opt-out rows wrap their buttons alike; at 375 px nothing runs off the screen', async () => {
      const page = await freshPage();
      try {
        /** For each opt-out row: where its button sits against its sentence. */
        const rows = () =>
          page.$$eval('consent-optout', (elements) =>
            elements.map((element) => {
              const status = element.shadowRoot?.querySelector('[part="status"]')?.getBoundingClientRect();
              const button = element.shadowRoot?.querySelector('button')?.getBoundingClientRect();
              return {
                beside: button !== undefined && status !== undefined && button.top < status.bottom,
                right: Math.round(button?.right ?? 0),
              };
            }),
          );
        for (const width of [1280, 375]) {
          await page.setViewport({ width, height: 900 });
          await page.goto(`${ledger.url}${MARKETING_PATH}`, { waitUntil: 'load' });
          await waitForElements(page, ['consent-optout']);
          await page.waitForSelector('#optout-sharing >>> button');
          await page.waitForSelector('#consent-mode-now tbody tr');
          const layout = await rows();
          expect(layout, `${width} px`).to.have.length(2);
          // Every row the same way: at 1280 px the button beside its sentence, at 375 px under it.
          expect(
            layout.map((r) => r.beside),
            `${width} px`,
          ).to.deep.equal(width === 1280 ? [true, true] : [false, false]);
          if (width === 1280) expect(layout[0]?.right, 'the buttons line up').to.equal(layout[1]?.right);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          expect(overflow, `${width} px: the page is wider than the screen`).to.be.at.most(0);
        }
      } finally {
        await page.close();
      }
    });

    it('2b. marketing site under Global Privacy Control: "Opt-Out Request Honored" and a gpc record', async () => {
      const page = await newPage(await withGpc());
      try {
        await page.goto(`${ledger.url}${MARKETING_PATH}`, { waitUntil: 'load' });
        expect(
          await page.evaluate(() => (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl),
        ).to.equal(true);
        await waitForElements(page, ['consent-optout']);
        await eventually(
          async () =>
            (await shadowText(page, '#optout-sharing', '[part="gpc"]')).includes('Opt-Out Request Honored')
              ? true
              : undefined,
          'the page never showed "Opt-Out Request Honored"',
        );
        const gpcRecord = await eventually(
          async () => (await ledger.allEntries()).find((e) => e.record.method === 'gpc' && e.record.gpc === true),
          'the ledger never received a gpc record',
        );
        expect(decisionFor(gpcRecord, 'partner-sharing').granted, 'GPC opts out of sharing (R50)').to.equal(false);
        // Consent Mode: GPC denies ads user data / personalisation from the default on (R50, R54).
        const consent = await eventually(async () => {
          const entries = (await readDataLayer(page)).filter((e) => e[0] === 'consent');
          return entries.length > 0 ? entries : undefined;
        }, 'no Consent Mode command on the GPC page');
        expect(consent[0]?.[1]).to.equal('default');
        for (const [, , settings] of consent) expect(settings.ad_user_data).to.equal('denied');
      } finally {
        await page.close();
      }
    });

    it('2d. marketing site under GPC: purposes GPC does not cover keep their one-click control (R50)', async () => {
      const page = await newPage(await withGpc());
      try {
        await page.goto(`${ledger.url}${MARKETING_PATH}`, { waitUntil: 'load' });
        await waitForElements(page, ['consent-optout']);
        await page.waitForSelector('#optout-sharing >>> [part="gpc"]', { timeout: 10_000 });
        // Marketing emails are not sale, sharing or targeted advertising: GPC does not opt out of them.
        expect(await page.$('#optout-marketing >>> [part="gpc"]'), 'no GPC notice on marketing').to.equal(null);
        expect(await shadowText(page, '#optout-marketing', '[part="status"]')).to.match(/not opted out/);
        expect(await page.$('#optout-marketing >>> button'), 'marketing keeps its opt-out button').to.not.equal(null);
      } finally {
        await page.close();
      }
    });

    /** A person who applied with nothing declined-by-default (marketing on) and a marketing email to them. */
    async function personWithEmail(): Promise<{ email: string; links: UnsubscribeLinks; raw: string; html: string }> {
      const email = uniqueEmail('katherine');
      const page = await newPage();
      try {
        await openForm(page);
        await fillIdentity(page, 'Katherine Johnson', email);
        await submit(page);
      } finally {
        await page.close();
      }
      await recordsOnceSettled(email);
      // What a sender does: ask the ledger for this person's links (POST /v1/links).
      const links = await ledger.linksFor(email, 'marketing');
      const dkim = generateDkimKey({ domainName: 'news.allstream.example', keySelector: 'e2e' });
      const sink = await startSmtpSink();
      let raw: string;
      try {
        const message = composeMarketingEmail({
          from: 'AllStream <offers@news.allstream.example>',
          to: email,
          name: 'Katherine',
          links,
          dkim,
        });
        await sendOverSmtp(message, sink);
        raw = (await sink.waitFor(1)).raw;
      } finally {
        await sink.close();
      }
      // What a mailbox provider checks before offering one-click (R40).
      const dkimResult = verifyDkim(raw, dkim.publicKey);
      expect(dkimResult.ok, `DKIM: ${dkimResult.ok ? '' : dkimResult.reason}`).to.equal(true);
      expect(dkimResult.signedHeaders).to.include.members(['list-unsubscribe', 'list-unsubscribe-post']);
      expect(headerValue(raw, 'List-Unsubscribe-Post')).to.equal('List-Unsubscribe=One-Click');
      // Quoted-printable soft breaks and escapes undone, so the body's links can be read.
      const decoded = raw
        .replace(/=\r\n/g, '')
        .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
      return { email, links, raw, html: decoded };
    }

    it('3. email: link opens the unsubscribe page without changing state; button, one-click POST and preference centre work', async () => {
      const { email, links, raw, html } = await personWithEmail();
      const header = headerValue(raw, 'List-Unsubscribe') ?? '';
      const uris = [...header.matchAll(/<([^>]+)>/g)].map((m) => m[1] ?? '');
      expect(
        uris.filter((u) => /^https?:/.test(u)),
        'exactly one web URI (R40)',
      ).to.deep.equal([links.unsubscribeUrl]);
      expect(uris.some((u) => u.startsWith('mailto:'))).to.equal(true);
      expect(header.includes(email), 'the token is opaque').to.equal(false);
      const bodyUnsubscribe = html.match(/href="([^"]*\/u\/[^"]+)"/)?.[1];
      const bodyPreferences = html.match(/href="([^"]*\/p\/[^"]+)"/)?.[1];
      expect(bodyUnsubscribe, 'the body carries the same unsubscribe link').to.equal(links.unsubscribeUrl);
      expect(bodyPreferences).to.equal(links.preferencesUrl);

      const before = await ledger.recordsOf(email);
      expect((await ledger.stateOf(email)).marketing?.status).to.equal('granted');

      const page = await newPage();
      try {
        // Opening the link (what a person, or a link scanner, does) must not unsubscribe (R42).
        await page.goto(bodyUnsubscribe ?? '', { waitUntil: 'load' });
        expect(await page.$eval('h1', (h) => h.textContent)).to.equal('Unsubscribe');
        await new Promise((wake) => setTimeout(wake, 300));
        expect(await ledger.recordsOf(email), 'GET wrote nothing').to.have.length(before.length);
        expect((await ledger.stateOf(email)).marketing?.status, 'GET changed nothing').to.equal('granted');

        // The button unsubscribes.
        await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('form button[type="submit"]')]);
        expect(await page.$eval('h1', (h) => h.textContent)).to.equal('You are unsubscribed');
        expect((await ledger.stateOf(email)).marketing?.status).to.not.equal('granted');

        // The preference centre: marketing shows Off; turn it back on, off (withdraw), on again.
        await page.goto(bodyPreferences ?? '', { waitUntil: 'load' });
        const stateText = () => page.$eval('li[data-purpose="marketing"] .state', (s) => s.textContent?.trim());
        const toggle = () =>
          Promise.all([
            page.waitForNavigation({ waitUntil: 'load' }),
            page.click('li[data-purpose="marketing"] form button[type="submit"]'),
          ]);
        expect(await stateText()).to.equal('Off');
        await toggle();
        expect(await stateText(), 're-granted on the page').to.equal('On');
        expect((await ledger.stateOf(email)).marketing?.status, 're-granted in the ledger').to.equal('granted');
        await toggle();
        expect(await stateText(), 'withdrawn on the page').to.equal('Off');
        expect((await ledger.stateOf(email)).marketing?.status, 'withdrawn in the ledger').to.not.equal('granted');
        await toggle();
        expect((await ledger.stateOf(email)).marketing?.status, 're-granted again').to.equal('granted');
      } finally {
        await page.close();
      }

      // The one-click POST a mailbox provider sends (RFC 8058: multipart, no cookies, no redirect).
      const countBefore = (await ledger.recordsOf(email)).length;
      const oneClick = () => {
        const body = new FormData();
        body.set('List-Unsubscribe', 'One-Click');
        return fetch(uris[0] ?? '', { method: 'POST', body, redirect: 'manual' });
      };
      const first = await oneClick();
      expect([200, 202, 204]).to.include(first.status);
      expect(first.headers.get('location')).to.equal(null);
      expect(first.headers.get('set-cookie')).to.equal(null);
      expect((await ledger.stateOf(email)).marketing?.status, 'one-click unsubscribed').to.not.equal('granted');
      const records = await ledger.recordsOf(email);
      expect(records).to.have.length(countBefore + 1);
      expect(records.at(-1)?.record.method).to.equal('one-click-email');
      const repeat = await oneClick();
      expect(repeat.status, 'idempotent (R42)').to.equal(first.status);
      expect(await ledger.recordsOf(email)).to.have.length(countBefore + 1);
    });

    it('4. offline: ledger unreachable at submit → delivered when the page is loaded again', async () => {
      const page = await newPage();
      try {
        const email = uniqueEmail('hedy');
        await openForm(page);
        await fillIdentity(page, 'Hedy Lamarr', email);
        await tick(page, '#no-marketing');
        ledger.cut('/v1/records');
        const recordId = await submit(page);
        expect(ledger.applications.find((a) => a.email === email)?.consentRecord).to.equal(recordId);
        // Give the page-hide beacon and a retry time to fail against the cut network.
        await eventually(async () => (ledger.dropped > 0 ? true : undefined), 'the browser never tried the ledger');
        await new Promise((wake) => setTimeout(wake, 500));
        expect(await ledger.recordsOf(email), 'nothing arrived while the ledger was cut off').to.have.length(0);

        ledger.restore();
        await openForm(page);
        const records = await recordsOnceSettled(email);
        expect(records, 'the queued record arrived, once').to.have.length(1);
        expect(records[0]?.recordId).to.equal(recordId);
        expect(decisionFor(records[0] as SubjectRecord, 'marketing').granted).to.equal(false);
        await expectSignedAndReceipted(ledger.url, records[0] as SubjectRecord);
      } finally {
        ledger.restore();
        await page.close();
      }
    });

    it("6. the ledger's own pages at 375 and 1280 px: / says what the server is, /u for someone with no records offers the button, /p; nothing runs off the screen, axe-clean (screenshots kept)", async () => {
      const home = await fetch(`${ledger.url}/`);
      expect(home.status).to.equal(200);
      expect(home.headers.get('content-type')).to.match(/^text\/html/);
      expect(home.headers.get('content-security-policy')).to.match(/^default-src 'none'; script-src 'nonce-/);
      const unknown = await fetch(`${ledger.url}/v1/nope`);
      expect([unknown.status, unknown.headers.get('content-type')]).to.deep.equal([404, 'application/problem+json']);

      // Someone a sender is about to mail (the README's `consentkit link`): no records yet.
      const links = await ledger.linksFor(uniqueEmail('ada'), 'marketing');
      const pages = [
        ['home', `${ledger.url}/`, 'ConsentKit consent ledger'],
        ['unsubscribe', links.unsubscribeUrl, 'Unsubscribe'],
        ['preferences', links.preferencesUrl, 'Your preferences'],
      ] as const;
      const page = await newPage();
      const shots: string[] = [];
      try {
        for (const width of [375, 1280]) {
          await page.setViewport({ width, height: 800 });
          for (const [label, url, heading] of pages) {
            await page.goto(url, { waitUntil: 'load' });
            expect(await page.$eval('h1', (h) => h.textContent?.trim()), label).to.equal(heading);
            const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
            expect(overflow, `${label} at ${width} px runs off the screen by ${overflow} px`).to.be.at.most(0);
            shots.push(await keepScreenshot(page, `hosted-${label}-${name}-${width}`));
            if (width === 375) await expectAccessible(page, `the ledger's ${label} page`);
          }
        }
        await page.goto(`${ledger.url}/`, { waitUntil: 'load' });
        const hrefs = await page.$$eval('main a', (as) => as.map((a) => a.getAttribute('href')));
        expect(hrefs).to.include.members(['/admin', '/v1/openapi.json']);
        await page.goto(links.unsubscribeUrl, { waitUntil: 'load' });
        expect(await page.$eval('main', (m) => m.textContent)).to.include(
          'You are subscribed to Marketing emails: you have not unsubscribed.',
        );
        expect(await page.$$('form button[type="submit"]')).to.have.length(1);
      } finally {
        await page.close();
      }
      console.log(`[e2e] hosted page screenshots for review:\n  ${shots.join('\n  ')}`);
    });

    it('5. axe (WCAG 2.2 AA): example pages, the application answer, hosted pages, the email', async () => {
      const page = await newPage();
      try {
        await openForm(page);
        await page.waitForSelector('consent-notice >>> table', { timeout: 10_000 });
        await expectAccessible(page, 'the application form');

        const email = uniqueEmail('alan');
        await fillIdentity(page, 'Alan Turing', email);
        await submit(page);
        await expectAccessible(page, 'the application answer page');

        await page.goto(`${ledger.url}${MARKETING_PATH}`, { waitUntil: 'load' });
        await page.waitForSelector('#optout-marketing >>> [part="status"]', { timeout: 10_000 });
        await expectAccessible(page, 'the marketing site');

        await page.goto(`${ledger.url}/examples/`, { waitUntil: 'load' });
        await expectAccessible(page, 'the examples index');

        const links = await ledger.linksFor(email, 'marketing');
        await page.goto(links.unsubscribeUrl, { waitUntil: 'load' });
        await expectAccessible(page, 'the hosted unsubscribe page');
        await page.goto(links.preferencesUrl, { waitUntil: 'load' });
        await expectAccessible(page, 'the hosted preference centre');

        const rendered = renderMarketingEmail({ name: 'Alan', subject: 'Faster fibre for your business', links });
        // A blank document first: setContent keeps the current document's CSP (the hosted page's).
        await page.goto('about:blank');
        await page.setContent(rendered.html, { waitUntil: 'load' });
        await expectAccessible(page, 'the marketing email (HTML)');
      } finally {
        await page.close();
      }
    });
  });
}
