/**
 * The record path's loader with work at load: a browser whose outbox store has held records (an
 * earlier visit's history, a record still waiting) loads it at idle without any interaction, to
 * deliver what waits and show the person's state. Its own file: a page schedules it once.
 */
import { mayHaveStoredRecords } from '@consentkit/sdk';
import { until } from '@consentkit/test-support/browser';
import { expect } from 'chai';
import { pageSeesHint } from '../../test/support/stored-hint.js';
import { type RecordPath, recordPathLoaded, scheduleRecordPath } from './record-path-loader.js';

describe('record path loader, with records stored by an earlier visit', () => {
  it('loads at idle without any interaction', async () => {
    let loaded: RecordPath | undefined;
    void recordPathLoaded().then((path) => {
      loaded = path;
    });
    // The hint the SDK's IndexedDB store leaves once a write is durable (its own test writes it),
    // as this page sees it: the storage other test pages share is left alone.
    const restore = pageSeesHint('1');
    try {
      expect(mayHaveStoredRecords()).to.equal(true);
      scheduleRecordPath(document);
      await until(() => loaded, 'the record path to load at idle', 15_000);
    } finally {
      restore();
    }
  });
});
