/**
 * Minimal fixtures for browser tests: mount HTML in a container that is removed after each
 * test, and wait for Lit to finish rendering.
 */
import type { LitElement } from 'lit';

const mounted: HTMLElement[] = [];

/** Mounts `markup` and returns its first element child once every Lit element in it has rendered. */
export async function fixture<T extends Element = HTMLElement>(markup: string): Promise<T> {
  const container = document.createElement('div');
  // Test markup is a literal written in the test file, not user input.
  container.innerHTML = markup;
  document.body.append(container);
  mounted.push(container);
  await settle(container);
  return container.firstElementChild as T;
}

/** Waits for every Lit element under `root` (including `root`) to finish its pending update. */
export async function settle(root: Element): Promise<void> {
  const all = [root, ...root.querySelectorAll('*')];
  for (const el of all) {
    const lit = el as Partial<LitElement>;
    if (lit.updateComplete) await lit.updateComplete;
  }
}

/** Removes everything mounted by fixture(). Call in afterEach. */
export function cleanup(): void {
  for (const container of mounted.splice(0)) container.remove();
}

/** Resolves on the next animation frame (lets the browser run restore/label behaviours). */
export function nextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}
