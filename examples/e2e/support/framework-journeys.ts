/**
 * The framework journeys: the same application form built with React 19, Vue 3 (its template
 * compiled at build time, and in the browser with the drop-in loaded after the app), Svelte 5
 * and Angular, each run in one browser against the real server. frameworks-chromium.test.ts and
 * frameworks-firefox.test.ts each call {@link describeFrameworkJourneys}, so the two browsers
 * run side by side, each with its own ledger and browser profile.
 *
 * For each app: axe is clean; ticking a box changes the framework's own state (shown by the app
 * in `#form-state`) exactly as it changes the element; a required box's validity reaches the
 * framework (Angular's FormControl) and blocks the form; a native reset returns both to their
 * defaults; submitting stores exactly one record with the right decisions, the person's clicks
 * recorded as their acts (R16, B3); and the page logs no error or warning, the framework's or
 * ours.
 */
import { after, before, describe, it } from 'node:test';
import { expect } from 'chai';
import type { ConsoleMessage, Page } from 'puppeteer-core';
import { expectAccessible } from './axe.js';
import {
  type BrowserName,
  type E2EBrowser,
  eventually,
  launchBrowser,
  startWithBrowser,
  waitForBoxModes,
  waitForElements,
} from './browsers.js';
import { ensureDropIn } from './drop-in.js';
import { type ExampleName, ensureExampleBuilt } from './example-builds.js';
import { type SubjectRecord, startLedger, type TestLedger } from './ledger.js';
import { expectSignedAndReceipted } from './records.js';

/** A record id: a UUIDv7. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export type FrameworkApp = {
  /** Shown in the test name. */
  readonly label: string;
  readonly example: ExampleName;
  /** The page, under the server's /examples/. */
  readonly path: string;
  /** The app mirrors the express box's validity from its form model (Angular's FormControl). */
  readonly modelValidity?: boolean;
};

export const FRAMEWORK_APPS: readonly FrameworkApp[] = [
  { label: 'React 19 (controlled boxes)', example: 'react', path: '/examples/react/' },
  { label: 'Vue 3 (v-model, template compiled at build time)', example: 'vue', path: '/examples/vue/dist/' },
  {
    label: 'Vue 3 (v-model, template compiled in the browser, drop-in loaded after the app)',
    example: 'vue',
    path: '/examples/vue/dist/in-browser.html',
  },
  { label: 'Svelte 5 (checked + onchange)', example: 'svelte', path: '/examples/svelte/dist/' },
  {
    label: 'Angular 21 (reactive form, ControlValueAccessor)',
    example: 'angular',
    path: '/examples/angular/dist/',
    modelValidity: true,
  },
  {
    label: 'Angular 21 (template-driven form, ngModel)',
    example: 'angular',
    path: '/examples/angular/dist/?forms=template',
    modelValidity: true,
  },
];

type Decision = SubjectRecord['record']['decisions'][number];
const decisionFor = (entry: SubjectRecord, purpose: string): Decision => {
  const decision = entry.record.decisions.find((d) => d.purpose === purpose);
  if (!decision) throw new Error(`the record has no decision for ${purpose}: ${JSON.stringify(entry.record)}`);
  return decision;
};

/** What the app's framework holds (its `#form-state` data attributes) and what the elements hold. */
type Agreement = {
  readonly model: { noMarketing: string; shareWithPartners: string; shareWithPartnersValid: string | null };
  readonly element: { noMarketing: boolean; shareWithPartners: boolean; shareWithPartnersValid: boolean };
};

export function readAgreement(page: Page): Promise<Agreement> {
  // No named inner functions here: tsx would wrap them in a `__name` helper the page lacks.
  return page.evaluate(() => {
    type Box = HTMLElement & { checked: boolean; validity: ValidityState };
    const state = document.querySelector<HTMLElement>('#form-state');
    const noMarketing = document.getElementById('no-marketing') as Box;
    const sharing = document.getElementById('share-with-partners') as Box;
    return {
      model: {
        noMarketing: state?.dataset.noMarketing ?? '',
        shareWithPartners: state?.dataset.shareWithPartners ?? '',
        shareWithPartnersValid: state?.dataset.shareWithPartnersValid ?? null,
      },
      element: {
        noMarketing: noMarketing.checked,
        shareWithPartners: sharing.checked,
        shareWithPartnersValid: sharing.validity.valid,
      },
    };
  });
}

/** Waits until the framework's state and the elements agree on `expected` (both boxes). */
export async function expectAgreement(
  page: Page,
  expected: { noMarketing: boolean; shareWithPartners: boolean; shareWithPartnersValid?: boolean },
  app: FrameworkApp,
  step: string,
): Promise<void> {
  let last: Agreement | undefined;
  try {
    await eventually(async () => {
      last = await readAgreement(page);
      const { model, element } = last;
      const validity = expected.shareWithPartnersValid ?? true;
      const agrees =
        element.noMarketing === expected.noMarketing &&
        element.shareWithPartners === expected.shareWithPartners &&
        element.shareWithPartnersValid === validity &&
        model.noMarketing === String(expected.noMarketing) &&
        model.shareWithPartners === String(expected.shareWithPartners) &&
        (!app.modelValidity || model.shareWithPartnersValid === String(validity));
      return agrees ? true : undefined;
    }, `${step}: the framework's state and the elements never agreed`);
  } catch (error) {
    throw new Error(
      `${(error as Error).message}; expected ${JSON.stringify(expected)}, last seen ${JSON.stringify(last)}`,
    );
  }
}

/** The page's console errors and warnings (the framework's and ours) and uncaught exceptions. */
export function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    const type = message.type();
    const where = message.location()?.url;
    if (type === 'error' || type === 'warn')
      problems.push(`console.${type}: ${message.text()}${where ? ` (${where})` : ''}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${String(error)}`));
  return problems;
}

/** Waits until the elements are registered and the policy gave each box its mode. */
export async function waitForForm(page: Page): Promise<void> {
  await waitForElements(page, ['consent-checkbox', 'consent-notice']);
  await waitForBoxModes(page);
}

/** A person's click on a box (the inner native checkbox, where a pointer lands). */
export async function clickBox(page: Page, id: string): Promise<void> {
  await page.click(`#${id}`);
}

/** Waits until the ledger holds a record for `email`, then a moment more to catch duplicates. */
async function recordsOnceSettled(ledger: TestLedger, email: string): Promise<SubjectRecord[]> {
  // The person's own records: the application handler's backend then attests what it received,
  // and that attestation is the ledger's record, not the person's.
  const own = async () => (await ledger.recordsOf(email)).filter((e) => e.record.attests === undefined);
  await eventually(
    async () => ((await own()).length >= 1 ? true : undefined),
    `the ledger never received a record for ${email}`,
    15_000,
  );
  await new Promise((wake) => setTimeout(wake, 400));
  return own();
}

export type JourneyOptions = {
  readonly page: Page;
  /** Console errors and warnings collected since the page opened ({@link collectProblems}). */
  readonly problems: readonly string[];
  readonly app: FrameworkApp;
  readonly ledger: TestLedger;
  /** Where the app is served (the ledger's origin, or the app's own server). */
  readonly url: string;
  readonly email: string;
  /**
   * Checks what the application's back end received with the record id; by default, the
   * example application handler the SPA examples post to.
   */
  readonly expectReceived?: (recordId: string) => Promise<void>;
};

/**
 * One framework app's journey in one page: axe; state, validity and reset agreement; the
 * application submitted with both boxes ticked; exactly one record with the person's choices;
 * no console error or warning.
 */
export async function runApplicationJourney(options: JourneyOptions): Promise<void> {
  const { page, problems, app, ledger, email } = options;
  await page.goto(options.url, { waitUntil: 'load' });
  await waitForForm(page);
  await expectAccessible(page, `the ${app.label} form`);
  await expectAgreement(page, { noMarketing: false, shareWithPartners: false }, app, 'on load');

  // A person ticks both boxes: the framework's state follows each click.
  await clickBox(page, 'no-marketing');
  await clickBox(page, 'share-with-partners');
  await expectAgreement(page, { noMarketing: true, shareWithPartners: true }, app, 'after ticking both');
  // Waited for, not read once: a framework may render the state a listener set in a later task
  // (React gives a custom event's update default priority, after the `change` it renders at once).
  let lastChange: string | undefined;
  await eventually(
    async () => {
      lastChange = await page.$eval('#form-state', (p) => (p as HTMLElement).dataset.lastChange);
      return lastChange === 'partner-sharing: granted' ? true : undefined;
    },
    `consent-change never reached the app (its last change read ${JSON.stringify(lastChange)})`,
  );

  // Validity: a required express box left unticked blocks the form, in the framework too.
  await page.$eval('#share-with-partners', (box) => {
    (box as HTMLElement & { required: boolean }).required = true;
  });
  await clickBox(page, 'share-with-partners');
  await expectAgreement(
    page,
    { noMarketing: true, shareWithPartners: false, shareWithPartnersValid: false },
    app,
    'a required box unticked',
  );
  expect(await page.$eval('form', (form) => (form as HTMLFormElement).checkValidity())).to.equal(false);
  await clickBox(page, 'share-with-partners');
  await expectAgreement(
    page,
    { noMarketing: true, shareWithPartners: true, shareWithPartnersValid: true },
    app,
    'the required box ticked again',
  );
  await page.$eval('#share-with-partners', (box) => {
    (box as HTMLElement & { required: boolean }).required = false;
  });

  // A native reset: the elements return to their defaults, and so does the framework's state.
  await page.click('button[type="reset"]');
  await expectAgreement(page, { noMarketing: false, shareWithPartners: false }, app, 'after reset');

  // The application itself.
  await page.type('#name', 'Ada Lovelace');
  await page.type('#email', email);
  await clickBox(page, 'no-marketing');
  await clickBox(page, 'share-with-partners');
  await expectAgreement(page, { noMarketing: true, shareWithPartners: true }, app, 'before submitting');
  await page.click('button[type="submit"]');
  const sentWith = await page.waitForSelector('#sent-with', { timeout: 20_000 });
  const recordId = (await sentWith?.evaluate((code) => code.textContent?.trim())) ?? '';
  expect(recordId, 'the app sent a consent record id with the application').to.match(UUID);

  if (options.expectReceived) await options.expectReceived(recordId);
  else {
    const received = await eventually(
      async () => ledger.applications.find((a) => a.email === email),
      'the application handler never received the form',
    );
    expect(received.consentRecord, 'the handler received the record id').to.equal(recordId);
    expect(received.noMarketing).to.equal(true);
    expect(received.shareWithPartners).to.equal(true);
  }

  const records = await recordsOnceSettled(ledger, email);
  expect(records, 'exactly one record for that email').to.have.length(1);
  const [entry] = records as [SubjectRecord];
  expect(entry.recordId).to.equal(recordId);
  expect(entry.record.method).to.equal('form-submit');
  // The person ticked both boxes. A framework that writes `checked` back with the value the click
  // already gave (React's `checked={state}`, Svelte's `checked={state}`) must not turn the
  // person's act into a script's: a script's change is left out of the record (B3, R16).
  expect(
    entry.record.decisions.map((d) => d.purpose),
    'both of the person’s clicks are in the record (a write of `checked` with the value the box already has must change nothing)',
  ).to.include.members(['marketing', 'partner-sharing']);
  expect(decisionFor(entry, 'marketing'), 'marketing opted out').to.include({ granted: false, basis: 'opt-out' });
  const sharing = decisionFor(entry, 'partner-sharing');
  expect(sharing, 'partner sharing granted by an express act').to.include({ granted: true, basis: 'express' });
  expect(sharing.interaction ?? entry.record.interaction, 'the click is recorded as the person’s act').to.equal(
    'pointer',
  );
  expect(decisionFor(entry, 'application-processing')).to.include({ granted: true, basis: 'implied' });
  await expectSignedAndReceipted(ledger.url, entry);

  expect(problems.join('\n'), 'no console error or warning (the framework’s or ours)').to.equal('');
}

/** A page in its own browser context (its own device key, outbox and history), with its problems collected. */
export async function freshPage(browser: E2EBrowser): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.browser.createBrowserContext();
  const page = await context.newPage();
  page.once('close', () => void context.close().catch(() => {}));
  return { page, problems: collectProblems(page) };
}

export function describeFrameworkJourneys(name: BrowserName, apps: readonly FrameworkApp[] = FRAMEWORK_APPS): void {
  describe(`framework journeys in ${name}`, { concurrency: false }, () => {
    let ledger: TestLedger;
    let browser: E2EBrowser;
    let serial = 0;

    before(async () => {
      await ensureDropIn();
      for (const example of new Set(apps.map((app) => app.example))) await ensureExampleBuilt(example);
      [ledger, browser] = await startWithBrowser(startLedger(), launchBrowser(name));
    });
    after(async () => {
      await browser?.close();
      await ledger?.stop();
    });

    for (const app of apps) {
      it(`${app.label}: state, validity and reset agree with the elements; one record with the person's choices`, async () => {
        const { page, problems } = await freshPage(browser);
        try {
          const email = `ada+${name}-${Date.now().toString(36)}-${++serial}@example.com`;
          await runApplicationJourney({ page, problems, app, ledger, url: `${ledger.url}${app.path}`, email });
        } finally {
          await page.close();
        }
      });
    }
  });
}
