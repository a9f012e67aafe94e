/**
 * Typed access to scripts/testing/e2e-browsers.mjs: the installed Chromium and Firefox ESR,
 * both driven by puppeteer-core (playwright-core cannot drive Firefox ESR here), plus the few
 * page helpers the journeys share.
 */
import type { Browser, Page } from 'puppeteer-core';
import { launchBrowser as launch } from '../../../scripts/testing/e2e-browsers.mjs';

export type BrowserName = 'chromium' | 'firefox';
export const BROWSERS: readonly BrowserName[] = ['chromium', 'firefox'];

export type E2EBrowser = {
  readonly browser: Browser;
  readonly name: BrowserName;
  newPage(): Promise<Page>;
  close(): Promise<void>;
};

/** `gpc`: the browser sends `Sec-GPC: 1` and exposes `navigator.globalPrivacyControl === true`. */
export function launchBrowser(name: BrowserName, options: { gpc?: boolean } = {}): Promise<E2EBrowser> {
  return launch(name, options) as Promise<E2EBrowser>;
}

/**
 * Starts a ledger and launches a browser side by side. When one fails, the other is stopped before
 * the error is rethrown: a before() hook that fails never assigns either, so its after() could not
 * stop a ledger that started, and that ledger would hold the test process open.
 */
export async function startWithBrowser<L extends { stop(): Promise<void> }>(
  ledger: Promise<L>,
  browser: Promise<E2EBrowser>,
): Promise<[L, E2EBrowser]> {
  const [started, launched] = await Promise.allSettled([ledger, browser]);
  if (started.status === 'fulfilled' && launched.status === 'fulfilled') return [started.value, launched.value];
  if (started.status === 'fulfilled') await started.value.stop().catch(() => {});
  if (launched.status === 'fulfilled') await launched.value.close();
  throw started.status === 'rejected' ? started.reason : (launched as PromiseRejectedResult).reason;
}

/** Polls `check` until it returns a value (not undefined), or throws `message` after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  message: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`${message} (after ${timeoutMs} ms${lastError ? `; last error: ${String(lastError)}` : ''})`);
    }
    await new Promise((wake) => setTimeout(wake, 150));
  }
}

/** Text content of an element inside an element's shadow root (`host >>> inner`). */
export async function shadowText(page: Page, host: string, inner: string): Promise<string> {
  return page.$eval(host, (element, selector) => element.shadowRoot?.querySelector(selector)?.textContent ?? '', inner);
}

/** Waits until the drop-in registered the elements and the policy reached them. */
export async function waitForElements(page: Page, tags: readonly string[]): Promise<void> {
  await page.waitForFunction(
    (names: readonly string[]) => names.every((name) => customElements.get(name) !== undefined),
    { timeout: 15_000 },
    tags,
  );
}
