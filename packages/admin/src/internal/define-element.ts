/**
 * Version-aware registration behind every `static define()` (as in the widget): the same class
 * twice is a silent no-op, a different class under the tag is reported and the first kept.
 */
export function defineElement(
  tag: string,
  elementClass: CustomElementConstructor,
  registry: CustomElementRegistry = customElements,
): void {
  const existing = registry.get(tag);
  if (existing === elementClass) return;
  if (existing) {
    console.warn(`[consentkit admin] <${tag}> is already defined by another script; keeping the first.`);
    return;
  }
  registry.define(tag, elementClass);
}
