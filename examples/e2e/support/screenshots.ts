/**
 * Screenshots kept for review (not compared: a person looks at them) in test-results/screenshots/,
 * which git ignores; the reviewed set is copied to docs/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { ROOT } from './ledger.js';

export const SCREENSHOTS = join(ROOT, 'test-results/screenshots');

/** A full-page screenshot of `page` as test-results/screenshots/<file>.png; returns its path. */
export async function keepScreenshot(page: Page, file: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Two frames after a viewport change, so the picture is of the laid-out page, not stale tiles.
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  const path = join(SCREENSHOTS, `${file}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
