/** The record path loader's tests: the stored-records hint as one test page sees it. */

/**
 * This page's view of the stored-records hint (the outbox store's localStorage item), without
 * touching the storage other test pages share; returns the undo.
 */
export function pageSeesHint(value: string | null): () => void {
  const getItem = Object.getOwnPropertyDescriptor(Storage.prototype, 'getItem');
  const real = Storage.prototype.getItem;
  Storage.prototype.getItem = function (this: Storage, key: string) {
    return key === 'consentkit-outbox' ? value : real.call(this, key);
  };
  return () => {
    if (getItem) Object.defineProperty(Storage.prototype, 'getItem', getItem);
  };
}
