/** Building the controls' few nodes by hand (checkbox-view.ts, optout-view.ts) instead of lit-html. */

/** A new `tag` with its `part` and, when given, its `class`. */
export function partElement<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  part: string,
  className?: string,
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  element.setAttribute('part', part);
  if (className) element.className = className;
  return element;
}

/** Sets `name` to `value`, or removes it for undefined (lit-html's `nothing`). */
export function setOrRemove(element: Element, name: string, value: string | undefined): void {
  if (value === undefined) element.removeAttribute(name);
  else element.setAttribute(name, value);
}

/** Writes `value` into a text node only when it differs (a live region announces each change). */
export function setText(node: Text, value: string): void {
  if (node.data !== value) node.data = value;
}

/** A new, empty text node appended to `parent`, for the painting to write into with setText(). */
export function textIn(parent: Node): Text {
  const text = new Text();
  parent.appendChild(text);
  return text;
}
