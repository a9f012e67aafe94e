/**
 * A hint, read synchronously and in a few bytes, that an IndexedDB outbox store on this origin
 * has held something: a record waiting, a history, a kept choice. The drop-in loads its record
 * path at idle only when there is such work (or a GPC signal to honour), so a first visit that
 * never interacts never downloads it. In localStorage because IndexedDB answers only
 * asynchronously, and only to the code that opens it. Its key is the database's name (a string the
 * drop-in holds already), its value `1`. Never cleared: a history is kept.
 */

/** The outbox database a client uses unless told otherwise (one per origin is the point). */
export const DEFAULT_OUTBOX_NAME = 'consentkit-outbox';

/**
 * False only when the outbox store `name` has certainly never held anything on this origin;
 * true when it has, or when that cannot be known (no localStorage: the caller then loads as if).
 */
export function mayHaveStoredRecords(name: string = DEFAULT_OUTBOX_NAME): boolean {
  try {
    return localStorage.getItem(name) !== null;
  } catch {
    return true;
  }
}
