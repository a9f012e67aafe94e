import { MESSAGE_PREFIX } from '@consentkit/core';
import { expect } from 'chai';
import { defineElement } from './define-element.js';

/** Runs `body` and returns what it printed with console.warn. */
function warnings(body: () => void): string[] {
  const seen: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => seen.push(args.map(String).join(' '));
  try {
    body();
  } finally {
    console.warn = original;
  }
  return seen;
}

let counter = 0;
const freshTag = () => `ck-define-test-${++counter}`;

describe('defineElement', () => {
  it('defines a tag, and defining the same class again is a silent no-op (two bundles on one page)', () => {
    const tag = freshTag();
    class First extends HTMLElement {}
    const seen = warnings(() => {
      defineElement(tag, First);
      defineElement(tag, First);
    });
    expect(customElements.get(tag)).to.equal(First);
    expect(seen).to.deep.equal([]);
  });

  it('keeps the first class under a tag and reports the second in the house format, never throwing', () => {
    const tag = freshTag();
    class First extends HTMLElement {}
    class Second extends HTMLElement {}
    defineElement(tag, First);
    const seen = warnings(() => defineElement(tag, Second));
    expect(customElements.get(tag)).to.equal(First);
    expect(seen).to.deep.equal([
      `${MESSAGE_PREFIX} <${tag}> is already defined by another copy of ConsentKit; keeping the first. See ConsentKit docs/errors.md#element-already-defined`,
    ]);
  });
});
