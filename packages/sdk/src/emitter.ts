/**
 * A tiny typed event emitter. A listener that throws must not stop delivery or the other
 * listeners, and must not surface inside our own code paths, so its error is reported
 * asynchronously, the way a failing DOM event listener is.
 */

export type Listener<E> = (event: E) => void;

export type Emitter<E> = {
  /** Returns false when nobody was listening. */
  emit(event: E): boolean;
  /** Returns the function that unsubscribes. */
  subscribe(listener: Listener<E>): () => void;
  clear(): void;
};

export function createEmitter<E>(): Emitter<E> {
  const listeners = new Set<Listener<E>>();
  return {
    emit(event) {
      if (listeners.size === 0) return false;
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch (error) {
          // The host's listener is the host's bug: report it like the platform does, never rethrow
          // into our delivery loop.
          if (typeof reportError === 'function') reportError(error);
        }
      }
      return true;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    clear() {
      listeners.clear();
    },
  };
}
