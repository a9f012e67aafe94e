/**
 * axe-core in the page under test (WCAG 2.0–2.2 A and AA rules). The library's source is
 * evaluated in the page (not fetched by it), so pages with a strict CSP are checked as served.
 */
import { AssertionError } from 'node:assert';
import axe from 'axe-core';
import type { Page } from 'puppeteer-core';

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] as const;

type Violation = { id: string; impact: string | null; help: string; targets: string[] };

/** Runs axe on the whole page; throws listing every violation (rule, impact, elements). */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  await page.evaluate(axe.source);
  const violations = await page.evaluate(async (tags: readonly string[]) => {
    type AxeRun = (
      context: Document,
      options: { runOnly: { type: 'tag'; values: readonly string[] }; resultTypes: string[] },
    ) => Promise<{
      violations: Array<{
        id: string;
        impact?: string | null;
        help: string;
        nodes: Array<{ target: unknown[] }>;
      }>;
    }>;
    const run = (window as unknown as { axe: { run: AxeRun } }).axe.run;
    const result = await run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      targets: v.nodes.map((n) => JSON.stringify(n.target)),
    }));
  }, WCAG_TAGS);
  if (violations.length > 0) {
    const lines = (violations as Violation[]).map(
      (v) => `  ${v.id} (${v.impact}): ${v.help} → ${v.targets.join(', ')}`,
    );
    throw new AssertionError({
      message: `axe found ${violations.length} violation(s) on ${label}:\n${lines.join('\n')}`,
    });
  }
}
