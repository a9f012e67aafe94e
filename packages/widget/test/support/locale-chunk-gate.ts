/**
 * Holds back (`hold`), fails (`fail`) or lets through (`release`) this page's chunk of `language`
 * (packages/widget/src/i18n/locales), through the test runner's gate (web-test-runner.config.mjs).
 * The gate acts on this test page's own requests only: the page is named by its wtr session id.
 */
export async function gateLocaleChunk(language: string, action: 'hold' | 'fail' | 'release'): Promise<void> {
  const page = testPage();
  const response = await fetch(`/__locale-chunk/${encodeURIComponent(page)}/${language}?${action}`);
  if (response.status !== 204) throw new Error(`gateLocaleChunk: the gate answered ${response.status}`);
}

/** This test page's wtr session id, which its locale chunk requests carry (`?page=`). */
export function testPage(): string {
  const page = new URLSearchParams(location.search).get('wtr-session-id');
  if (!page) throw new Error('gateLocaleChunk: not a test runner page (no wtr-session-id)');
  return page;
}
