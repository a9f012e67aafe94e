/**
 * Browser-test fixtures: mount an element in a container removed after each test, and wait until
 * a condition about its shadow DOM holds (panels load asynchronously).
 */
const mounted: HTMLElement[] = [];

/** Creates `tag`, lets `setup` set properties before it connects, and mounts it. */
export async function mount<T extends HTMLElement>(tag: string, setup: (el: T) => void = () => {}): Promise<T> {
  const container = document.createElement('div');
  const el = document.createElement(tag) as T;
  setup(el);
  container.append(el);
  document.body.append(container);
  mounted.push(container);
  await (el as T & { updateComplete?: Promise<unknown> }).updateComplete;
  return el;
}

export function cleanup(): void {
  for (const container of mounted.splice(0)) container.remove();
}

/** Polls `check` every 20 ms until it returns a value, or fails after `timeoutMs`. */
export async function until<T>(check: () => T | undefined | null, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== null) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    // setTimeout, not requestAnimationFrame: a background test page gets no frames.
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Text of the first match inside the element's shadow root, whitespace collapsed. */
export const shadowText = (el: Element, selector: string): string | undefined => {
  const hit = el.shadowRoot?.querySelector(selector);
  return hit ? (hit.textContent ?? '').replace(/\s+/g, ' ').trim() : undefined;
};
