/**
 * Clients under faults (nothing lost): N captures from a real browser — the
 * application form with its consent elements and the drop-in, submitted as a person would —
 * against the real server while the ledger's ingest path drops connections, answers 5xx (before
 * and after storing), answers slowly, hangs until the server restarts, and while pages reload
 * with deliveries in flight. Afterwards the network heals, the form is opened once more (the
 * SDK's durable outbox resumes), and the ledger must hold exactly N records — the N ids the
 * application handler received, each once — and verify.
 *
 * Requirements: R62–R64 (delivery survives navigation and outages; the server deduplicates by
 * record id), R17 (the ledger can demonstrate every consent given).
 *
 * CI runs FAULT_KINDS twice (14 captures per browser); the soak run sets
 * CONSENTKIT_FAULT_CAPTURES (scripts/test-soak.mjs).
 */
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { uuidv7Time } from '@consentkit/core';
import { expect } from 'chai';
import type { Page } from 'puppeteer-core';
import {
  type BrowserName,
  type E2EBrowser,
  eventually,
  launchBrowser,
  startWithBrowser,
  waitForElements,
} from './browsers.js';
import { ensureDropIn } from './drop-in.js';
import { type Fault, type FaultyLedger, startFaultyLedger } from './faulty-ledger.js';

const FORM_PATH = '/examples/application-form/';

/** What happens to the ledger during one capture. */
const FAULT_KINDS = ['drop', 'drop-after', '5xx', '5xx-after', 'slow', 'restart', 'reload'] as const;
type FaultKind = (typeof FAULT_KINDS)[number];

/** The ingest fault in force while a capture of this kind is made. */
const INGEST_FAULT: Record<FaultKind, Fault> = {
  drop: 'drop',
  'drop-after': 'drop-after',
  '5xx': '5xx',
  '5xx-after': '5xx-after',
  slow: 'slow',
  // Deliveries hang until the server goes down under them.
  restart: 'hold',
  // Deliveries are slow, so the reloads land while they are in flight.
  reload: 'slow',
};

export function faultCaptures(): number {
  const n = Number(process.env.CONSENTKIT_FAULT_CAPTURES);
  return Number.isInteger(n) && n > 0 ? n : FAULT_KINDS.length * 2;
}

export function describeClientsUnderFaults(name: BrowserName): void {
  describe(`clients under faults in ${name} (real server, PGlite)`, { concurrency: false }, () => {
    let ledger: FaultyLedger;
    let browser: E2EBrowser;
    let page: Page;
    const pageErrors: string[] = [];

    before(async () => {
      await ensureDropIn();
      [ledger, browser] = await startWithBrowser(startFaultyLedger({ slowMs: 2_000 }), launchBrowser(name));
      page = await browser.newPage();
      page.on('pageerror', (error) => pageErrors.push(String(error)));
    });
    after(async () => {
      await browser?.close();
      await ledger?.stop();
    });

    async function openForm(): Promise<void> {
      await page.goto(`${ledger.url}${FORM_PATH}`, { waitUntil: 'load' });
      await waitForElements(page, ['consent-checkbox', 'consent-config']);
      await page.waitForFunction(
        () =>
          document.querySelector<HTMLElement & { effectiveMode?: string }>('consent-checkbox#share-with-partners')
            ?.effectiveMode === 'express',
        { timeout: 15_000 },
      );
    }

    type Captured = { readonly email: string; readonly shownId: string | undefined };

    /** Fills and submits the form; the answer page shows the record id, or says there was none. */
    async function capture(i: number): Promise<Captured> {
      const email = `faults+${name}-${i}-${Date.now().toString(36)}@example.com`;
      await page.type('#name', `Person ${i}`);
      await page.type('#email', email);
      // Vary the choices, so the records differ in more than their subject.
      if (i % 2 === 0) await page.click('#no-marketing');
      if (i % 3 === 0) await page.click('#share-with-partners');
      await Promise.all([
        page.waitForNavigation({ waitUntil: 'load', timeout: 30_000 }),
        page.click('button[type="submit"]'),
      ]);
      expect(await page.$eval('h1', (h) => h.textContent), `capture ${i}`).to.equal('Application received');
      const shown = await page.$eval('[data-field="consent-record"]', (cell) => cell.textContent?.trim() ?? '');
      // The widget holds a submission at most HOLD_LIMIT_MS for its record; a slow or hanging
      // ledger lets the form go without the id (declining or an outage never blocks a form).
      return { email, shownId: uuidv7Time(shown) === undefined ? undefined : shown };
    }

    it(`${faultCaptures()} captures under drops, 5xx, slow answers, restarts and reloads → exactly that many records`, async () => {
      const n = faultCaptures();
      const started = Date.now();
      const captured: Captured[] = [];
      for (let i = 0; i < n; i++) {
        const kind = FAULT_KINDS[i % FAULT_KINDS.length] as FaultKind;
        ledger.setFault(INGEST_FAULT[kind]);
        // The form loads under the fault too: the outbox's resume of earlier records meets it.
        await openForm();
        captured.push(await capture(i));
        if (kind === 'restart') {
          // Let the page-hide delivery reach the held connection, then take the server down under it.
          await sleep(300);
          await ledger.restart();
        } else if (kind === 'reload') {
          // Back to the form, and reload it twice while its resumed deliveries are in flight.
          await page.goto(`${ledger.url}${FORM_PATH}`, { waitUntil: 'domcontentloaded' });
          await sleep(400);
          await page.reload({ waitUntil: 'domcontentloaded' });
          await sleep(200);
          await page.reload({ waitUntil: 'load' });
        }
      }

      // The network heals; the next page load resumes the outbox.
      ledger.setFault('none');
      await openForm();
      await eventually(
        async () => ((await ledger.entries()).total >= n ? true : undefined),
        `the ledger never reached ${n} records (it has ${(await ledger.entries()).total})`,
        45_000,
      );
      // A moment more, so a late duplicate would show.
      await sleep(1_500);

      expect(
        ledger.applications.map((a) => a.email),
        'every capture reached the application',
      ).to.deep.equal(captured.map((c) => c.email));
      const entries = await ledger.entries();
      const counts = { ...ledger.counts };
      const withoutId = captured.filter((c) => c.shownId === undefined).length;
      const summary = `${name}: N=${n}, ledger ${entries.total} entries (${entries.distinct} distinct), applications without a record id ${withoutId}, restarts ${ledger.restarts}, ingest requests by fault ${JSON.stringify(counts)}, ${Math.round((Date.now() - started) / 1000)} s`;
      console.log(`[clients-under-faults] ${summary}`);
      expect(entries.total, `exactly N records (${summary})`).to.equal(n);
      expect(entries.distinct, 'none twice').to.equal(n);
      // The form waits for the record to be safe in the outbox, not for the network: a slow or
      // hanging ledger must not cost the application its link to the record (R17).
      expect(withoutId, 'applications that got no record id').to.equal(0);
      // Each capture is in the ledger exactly once, found by the person's email (admin API),
      // and it is the record whose id the application got, where it got one.
      for (const [i, c] of captured.entries()) {
        const records = await ledger.recordsOf(c.email);
        expect(records, `capture ${i} (${c.email}) is in the ledger once`).to.have.length(1);
        if (c.shownId !== undefined) expect(records[0]?.recordId, `capture ${i}`).to.equal(c.shownId);
      }
      const verification = await ledger.verify();
      expect(verification.ok, `the ledger verifies: ${JSON.stringify(verification)}`).to.equal(true);
      expect(ledger.restarts, 'the server was restarted').to.be.greaterThan(0);
      // Each fault must really have met requests, or this test would prove nothing about it.
      for (const fault of ['drop', 'drop-after', '5xx', '5xx-after', 'slow', 'hold'] as const) {
        expect(counts[fault], `ingest requests that met "${fault}"`).to.be.greaterThan(0);
      }
      expect(pageErrors, 'no uncaught errors in the pages').to.deep.equal([]);
    });
  });
}
