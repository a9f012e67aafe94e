import { formatErrorMessage } from '@consentkit/core';

/**
 * Version-aware registration behind every `static define()`: defining the same class twice is
 * a silent no-op (two bundles on one page), a different class under the tag is reported, not
 * thrown, because a host page must never break over a duplicate script tag.
 */
export function defineElement(
  tag: string,
  elementClass: CustomElementConstructor,
  registry: CustomElementRegistry = customElements,
): void {
  const existing = registry.get(tag);
  if (existing === elementClass) return;
  if (existing) {
    console.warn(
      formatErrorMessage(
        'element-already-defined',
        `<${tag}> is already defined by another copy of ConsentKit; keeping the first`,
      ),
    );
    return;
  }
  registry.define(tag, elementClass);
}
