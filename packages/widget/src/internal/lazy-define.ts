/**
 * Registers `tag` only when the page uses it, loading its code on demand: the drop-in stays
 * small for pages that never show the (larger) element. Watches the document until the tag
 * first appears, then stops watching.
 */
import { formatErrorMessage } from '@consentkit/core';
import { defineElement } from '../define-element.js';

export function lazyDefine(tag: string, load: () => Promise<CustomElementConstructor>): void {
  if (typeof document === 'undefined' || customElements.get(tag)) return;
  let started = false;
  const check = (): void => {
    if (started || !document.querySelector(tag)) return;
    started = true;
    observer.disconnect();
    load().then(
      (elementClass) => defineElement(tag, elementClass),
      (error: unknown) =>
        console.warn(formatErrorMessage('element-load-failed', `<${tag}> could not be loaded`), error),
    );
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true });
  check();
}
