/** Page lifecycle: beacon on hide (never `unload`, R64), retry when the network comes back. */
import type { Outbox } from '../outbox/outbox.js';

/** Listens on the page; returns the function that stops listening. */
export function watchPageLifecycle(outbox: Outbox, onError: (error: unknown) => void): () => void {
  const onHidden = () => {
    if (document.visibilityState === 'hidden') outbox.beacon();
  };
  const onPageHide = () => outbox.beacon();
  const onOnline = () => void outbox.flush().catch(onError);
  window.addEventListener('pagehide', onPageHide);
  window.addEventListener('online', onOnline);
  document.addEventListener('visibilitychange', onHidden);
  return () => {
    window.removeEventListener('pagehide', onPageHide);
    window.removeEventListener('online', onOnline);
    document.removeEventListener('visibilitychange', onHidden);
  };
}
