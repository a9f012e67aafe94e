/** The record path loader's tests: the stored-records hint as one test page sees it. */
import { stubStorageReads } from '@consentkit/test-support/browser';

/**
 * This page's view of the stored-records hint (the outbox store's localStorage item), without
 * touching the storage other test pages share; returns the undo.
 */
export function pageSeesHint(value: string | null): () => void {
  return stubStorageReads((key, real) => (key === 'consentkit-outbox' ? value : real()));
}
