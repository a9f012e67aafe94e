/**
 * Fixtures for browser tests: mount markup or an element in a container that `cleanup()` removes
 * after each test, and wait for Lit elements to finish rendering.
 */

/** What the fixtures need of a Lit element: its pending render. */
type Updating = { updateComplete?: Promise<unknown> };

const mounted: HTMLElement[] = [];

function attach(container: HTMLElement): void {
  document.body.append(container);
  mounted.push(container);
}

/** Mounts `markup` and returns its first element child once every Lit element in it has rendered. */
export async function fixture<T extends Element = HTMLElement>(markup: string): Promise<T> {
  const container = document.createElement('div');
  // Test markup is a literal written in the test file, not user input.
  container.innerHTML = markup;
  attach(container);
  await settle(container);
  return container.firstElementChild as T;
}

/** Creates `tag`, lets `setup` set properties before it connects, mounts it and waits for its render. */
export async function mount<T extends HTMLElement>(tag: string, setup: (el: T) => void = () => {}): Promise<T> {
  const container = document.createElement('div');
  const el = document.createElement(tag) as T;
  setup(el);
  container.append(el);
  attach(container);
  await (el as T & Updating).updateComplete;
  return el;
}

/** Waits for every Lit element under `root` (including `root`) to finish its pending update. */
export async function settle(root: Element): Promise<void> {
  for (const el of [root, ...root.querySelectorAll('*')]) {
    const pending = (el as Element & Updating).updateComplete;
    if (pending) await pending;
  }
}

/** Removes everything fixture() and mount() added. Call in afterEach. */
export function cleanup(): void {
  for (const container of mounted.splice(0)) container.remove();
}

/** Resolves on the next animation frame (lets the browser run restore/label behaviours). */
export function nextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}

/** Text of the first match inside the element's shadow root, whitespace collapsed. */
export function shadowText(el: Element, selector: string): string | undefined {
  const hit = el.shadowRoot?.querySelector(selector);
  return hit ? (hit.textContent ?? '').replace(/\s+/g, ' ').trim() : undefined;
}
