/**
 * A person's input in browser tests: the test runner's driver (puppeteer, CDP in Chromium and
 * WebDriver BiDi in Firefox) moves the real mouse, so the page sees trusted events
 * (`isTrusted`), which script can never make. No real keys here: Firefox delivers them only to
 * the foreground tab, and the runner shows several test pages at once; real key presses are
 * tested in the e2e journeys (one page at a time).
 */
import { resetMouse, sendMouse } from '@web/test-runner-commands';

/**
 * Clicks the middle of `el` (scrolled into view) with the real mouse: its left button, or the
 * one named (a middle click on a link opens it in a background tab, as a person does).
 */
export async function realClick(el: Element, options: { button?: 'left' | 'middle' } = {}): Promise<void> {
  el.scrollIntoView({ block: 'center', inline: 'center' });
  const rect = el.getBoundingClientRect();
  await sendMouse({
    type: 'click',
    button: options.button ?? 'left',
    position: [Math.round(rect.left + rect.width / 2), Math.round(rect.top + rect.height / 2)],
  });
  await resetMouse();
}
