/**
 * The record path's loader (record-path-loader.ts): once scheduled, the record path loads on its
 * own (at idle, 2 s at the latest, or at the first trusted interaction) without anyone asking for
 * a client; it is one module, loaded once; and loadSdk() gives the very SDK factories the
 * elements use, so a page configuring its own client has one copy of the SDK.
 */
import * as sdk from '@consentkit/sdk';
import { until } from '@consentkit/test-support/browser';
import { expect } from 'chai';
import {
  loadRecordPath,
  loadSdk,
  type RecordPath,
  recordPathLoaded,
  scheduleRecordPath,
} from './record-path-loader.js';

describe('record path loader', () => {
  it('once scheduled, loads the record path by itself; every later load is the same module', async () => {
    let loaded: RecordPath | undefined;
    void recordPathLoaded().then((path) => {
      loaded = path;
    });
    scheduleRecordPath(document);
    await until(() => loaded, 'the scheduled record path to load by itself', 15_000);
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
