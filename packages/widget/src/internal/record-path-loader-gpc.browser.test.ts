/**
 * The record path's loader under Global Privacy Control: the signal is recorded as an opt-out
 * when the client starts (R48), so the record path loads at idle without any interaction, even on
 * a first visit. Its own file: a page reads GPC and schedules the record path once.
 */
import { mayHaveStoredRecords, readGpcSignal } from '@consentkit/sdk';
import { until } from '@consentkit/test-support/browser';
import { expect } from 'chai';
import { pageSeesHint } from '../../test/support/stored-hint.js';
import { type RecordPath, recordPathLoaded, scheduleRecordPath } from './record-path-loader.js';

describe('record path loader, under GPC', () => {
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
});
