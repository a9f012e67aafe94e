/**
 * The record path's loader (record-path-loader.ts): on a first visit (no records stored on this
 * origin, no GPC) it waits for the person's first trusted interaction, which script cannot make,
 * however long the page stays idle; then it loads on its own without anyone asking for a client;
 * it is one module, loaded once; and loadSdk() gives the very SDK factories the elements use, so a
 * page configuring its own client has one copy of the SDK. With work at load it loads at idle
 * (record-path-loader-work.browser.test.ts, record-path-loader-gpc.browser.test.ts).
 */
import * as sdk from '@consentkit/sdk';
import { realClick, until } from '@consentkit/test-support/browser';
import { expect } from 'chai';
import { pageSeesHint } from '../../test/support/stored-hint.js';
import {
  loadedRecordPath,
  loadRecordPath,
  loadSdk,
  type RecordPath,
  recordPathLoaded,
  scheduleRecordPath,
} from './record-path-loader.js';

/** Longer than the loader's idle timeout (2 s): the browser has been idle, or the timeout has fired. */
const PAST_IDLE_MS = 2_500;

describe('record path loader', () => {
  it('on a first visit, waits for a trusted interaction, then loads by itself; every later load is the same module', async () => {
    let loaded: RecordPath | undefined;
    void recordPathLoaded().then((path) => {
      loaded = path;
    });
    // A first visit: this page sees no hint of stored records, whatever other test pages of the
    // same origin write meanwhile (the hint is read a frame after scheduling).
    const restore = pageSeesHint(null);
    try {
      expect(sdk.mayHaveStoredRecords()).to.equal(false);
      expect(sdk.readGpcSignal()).not.to.equal(true);
      scheduleRecordPath(document);
      // Script's events are not a person's: none of them loads it.
      document.body.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
      document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', bubbles: true }));
      document.body.dispatchEvent(new FocusEvent('focusin', { bubbles: true }));
      await new Promise((wake) => setTimeout(wake, PAST_IDLE_MS));
      expect(loadedRecordPath(), 'loaded without any interaction').to.equal(undefined);
      expect(loaded).to.equal(undefined);
    } finally {
      restore();
    }
    // The real mouse (a trusted pointerdown): the record path follows at idle.
    const spot = document.createElement('p');
    spot.textContent = 'somewhere on the page';
    document.body.append(spot);
    await realClick(spot);
    spot.remove();
    await until(() => loaded, 'the record path to load after the first trusted interaction', 15_000);
    expect(loadedRecordPath()).to.equal(loaded);
    expect(await loadRecordPath()).to.equal(loaded);
    expect(await loadRecordPath()).to.equal(await loadRecordPath());
  });

  it('loadSdk() gives the SDK factories the record path builds its client with', async () => {
    const factories = await loadSdk();
    expect(factories.createConsentClient).to.equal(sdk.createConsentClient);
    expect(factories.createHttpBackend).to.equal(sdk.createHttpBackend);
    expect(Object.keys(factories).sort()).to.deep.equal(['createConsentClient', 'createHttpBackend']);
  });
});
