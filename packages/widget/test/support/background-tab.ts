/**
 * A form page a person opens in a background tab (a middle click on a link), for
 * record-path-loader-gpc.browser.test.ts. Its checkbox schedules the record path as on any page.
 * By default the browser sends GPC and nobody interacts: the page reports whether the record path
 * loaded, after the control was usable. With `submit` in its URL (no GPC), a script submits the
 * form at once: the page reports how many records it captured. It reports to the test over the
 * BroadcastChannel named in its URL, then closes itself (a tab with one history entry may).
 */
import { testPolicy } from '@consentkit/test-support/policy';
import { configure } from '../../src/config.js';
import { createMemoryClient } from './memory-client.js';

export type BackgroundTabReport = {
  /** `document.visibilityState` when the page started: a background tab's is `hidden`. */
  visibility: DocumentVisibilityState;
  /** Animation frames the page got before it reported: none in Chromium while hidden. */
  frames: number;
  /** Whether the record path loaded within 10 s. */
  loaded: boolean;
  /** Whether the checkbox had rendered its input by then (the record path never loads before). */
  usableFirst: boolean;
  /** With `submit`: the records the submission captured within 10 s. */
  recorded?: number;
};

const params = new URLSearchParams(location.search);
const channel = new BroadcastChannel(params.get('channel') ?? '');
const submit = params.has('submit');
// The browser sends GPC on this page (read once per page: before anything reads it).
if (!submit) Object.defineProperty(navigator, 'globalPrivacyControl', { configurable: true, get: () => true });
const visibility = document.visibilityState;
let frames = 0;
requestAnimationFrame(function count() {
  frames += 1;
  requestAnimationFrame(count);
});
const within10s = <T>(work: Promise<T>, otherwise: T) =>
  Promise.race([work, new Promise<T>((resolve) => setTimeout(resolve, 10_000, otherwise))]);

const { recordPathLoaded } = await import('../../src/internal/record-path-loader.js');
await import('../../src/define.js');
const box = document.querySelector('consent-checkbox');
const usableFirst = recordPathLoaded().then(() => Boolean(box?.shadowRoot?.querySelector('input')));
let recorded: number | undefined;
if (submit) {
  const policy = testPolicy();
  const memory = createMemoryClient(policy);
  configure({ policy, client: memory.client });
  const form = document.querySelector('form') as HTMLFormElement;
  // SPA-style: the page keeps itself (a native submission would navigate the tab).
  form.addEventListener('submit', (event) => event.preventDefault());
  const captured = new Promise((resolve) => form.addEventListener('consent-captured', resolve, { once: true }));
  form.requestSubmit();
  recorded = await within10s(
    captured.then(() => memory.backend.entries().length),
    0,
  );
}
const loaded = await within10s(
  usableFirst.then(() => true),
  false,
);
const report: BackgroundTabReport = { visibility, frames, loaded, usableFirst: loaded && (await usableFirst) };
if (recorded !== undefined) report.recorded = recorded;
channel.postMessage(report);
channel.close();
window.close();
