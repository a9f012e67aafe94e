/**
 * Gives the page's main thread back to the browser between steps of making and sending a record,
 * so that an input's next paint, a form's navigation and the page's own tasks do not wait behind
 * hashing, signing, storage and the network.
 */

/**
 * Resumes in a task of its own: `scheduler.yield()` where there is one (the rest keeps its place
 * ahead of other tasks), else `setTimeout` (which is also what Node has).
 */
export function yieldToBrowser(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: Partial<Scheduler> }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Resumes when the browser is idle, or after `timeoutMs` at the latest (at once where there is no idle callback). */
export function whenIdle(timeoutMs: number): Promise<void> {
  const idle = (globalThis as { requestIdleCallback?: typeof requestIdleCallback }).requestIdleCallback;
  return new Promise((resolve) => {
    if (typeof idle === 'function') idle(() => resolve(), { timeout: timeoutMs });
    else setTimeout(resolve, 0);
  });
}
