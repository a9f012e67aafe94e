/**
 * axe-core over an element (its shadow root included) with the WCAG 2.0–2.2 A/AA rule tags,
 * asserting zero violations (E8, R61). Violations are listed in the failure message so a
 * failing run says what to fix.
 */
// axe-core is a UMD script: as a module it has no default export and installs `window.axe`.
import 'axe-core';
import type { AxeResults, ElementContext, RunOptions } from 'axe-core';

type Axe = { run(context: ElementContext, options: RunOptions): Promise<AxeResults> };

function axe(): Axe {
  const found = (globalThis as { axe?: Axe }).axe;
  if (!found) throw new Error('axe-core did not install window.axe');
  return found;
}

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export async function expectAccessible(element: Element): Promise<void> {
  const results = await axe().run(element, {
    runOnly: { type: 'tag', values: TAGS },
    // target-size is a 2.2 AA rule that axe files under wcag22aa; keep it explicit.
    rules: { 'target-size': { enabled: true } },
  });
  if (results.violations.length > 0) {
    const report = results.violations
      .map((v) => `${v.id}: ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`)
      .join('\n');
    throw new Error(`axe found ${results.violations.length} violation(s):\n${report}`);
  }
}
