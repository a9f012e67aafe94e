/**
 * The record path's loader under Global Privacy Control: the signal is recorded as an opt-out
 * when the client starts (R48), so the record path loads at idle without any interaction, even on
 * a first visit, and in a page opened in a background tab too, which gets no animation frame in
 * Chromium until it is shown. Its own file: a page reads GPC and schedules the record path once.
 */
import { mayHaveStoredRecords, readGpcSignal } from '@consentkit/sdk';
import { realClick, until } from '@consentkit/test-support/browser';
import { expect } from 'chai';
import type { BackgroundTabReport } from '../../test/support/background-tab.js';
import { pageSeesHint } from '../../test/support/stored-hint.js';
import { type RecordPath, recordPathLoaded, scheduleRecordPath } from './record-path-loader.js';

/**
 * Opens test/support/background-tab.html (with `query`) as a person opens a link in a background
 * tab, with a middle click, and returns what that page reports.
 */
async function openInBackgroundTab(query = ''): Promise<BackgroundTabReport> {
  const name = `background-tab-${crypto.randomUUID()}`;
  const channel = new BroadcastChannel(name);
  let report: BackgroundTabReport | undefined;
  channel.addEventListener('message', (event: MessageEvent<BackgroundTabReport>) => {
    report = event.data;
  });
  const link = document.createElement('a');
  link.href = new URL(`../../test/support/background-tab.html?channel=${name}${query}`, import.meta.url).href;
  link.textContent = 'a form page';
  document.body.append(link);
  try {
    await realClick(link, { button: 'middle' });
    return await until(() => report, "the background tab's report", 15_000);
  } finally {
    link.remove();
    channel.close();
  }
}

describe('record path loader, under GPC', () => {
  // The runner shows some of its pages and leaves others hidden: this holds either way.
  it('loads at idle without any interaction on a first visit', async () => {
    let loaded: RecordPath | undefined;
    void recordPathLoaded().then((path) => {
      loaded = path;
    });
    // The browser sends GPC on this page (read once per page: before anything reads it).
    Object.defineProperty(navigator, 'globalPrivacyControl', { configurable: true, get: () => true });
    const restore = pageSeesHint(null);
    try {
      expect(mayHaveStoredRecords()).to.equal(false);
      expect(readGpcSignal()).to.equal(true);
      scheduleRecordPath(document);
      await until(() => loaded, 'the record path to load at idle', 15_000);
    } finally {
      restore();
    }
  });

  it('loads at idle in a form page opened in a background tab, which gets no frame in Chromium', async () => {
    const { visibility, frames, ...outcome } = await openInBackgroundTab();
    expect(visibility, 'the page opened in a background tab').to.equal('hidden');
    expect(outcome, `with ${frames} animation frame(s)`).to.deep.equal({ loaded: true, usableFirst: true });
  });

  it('in a background tab without GPC, a script submitting the form still records at once', async () => {
    const { visibility, frames, ...outcome } = await openInBackgroundTab('&submit');
    expect(visibility, 'the page opened in a background tab').to.equal('hidden');
    expect(outcome, `with ${frames} animation frame(s)`).to.deep.equal({
      loaded: true,
      usableFirst: true,
      recorded: 1,
    });
  });
});
