/**
 * Answers this page's `localStorage.getItem()` calls with `answer` until the returned undo runs,
 * without writing the storage other test pages of the same origin share. `answer` may throw (a
 * storage that cannot be read) or ask the real storage through `real()`.
 */
export function stubStorageReads(answer: (key: string, real: () => string | null) => string | null): () => void {
  const getItem = Object.getOwnPropertyDescriptor(Storage.prototype, 'getItem');
  const original = Storage.prototype.getItem;
  Storage.prototype.getItem = function (this: Storage, key: string) {
    return answer(key, () => original.call(this, key));
  };
  return () => {
    if (getItem) Object.defineProperty(Storage.prototype, 'getItem', getItem);
  };
}
