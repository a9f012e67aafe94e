/**
 * What `<consent-checkbox>` shows, painted by hand into its shadow root: a label wrapping the
 * native box and the slot (its fallback the policy's words), "(required)" after them, and the
 * withdrawal statement under an express box. lit-html would cost the critical path ~2.7 KB for
 * these few nodes (docs/decisions/0003); hand-painted.differential.browser.test.ts holds this to
 * the lit-html template it replaced, over thousands of generated states.
 */
import { partElement, setOrRemove, setText, textIn } from '../internal/dom.js';

/** The box's state as shown, computed by the element at each update. */
export type CheckboxView = {
  checked: boolean;
  disabled: boolean;
  required: boolean;
  /** The box's accessible name when its label is outside the element (a `<label for>`), else undefined. */
  ariaLabel: string | undefined;
  /** The slot's fallback: the words shown when the page slots none (empty when labelled outside). */
  fallback: string;
  /** The word inside "(…)" after a required box's label. */
  requiredText: string;
  /** The withdrawal statement under an express box; undefined for none. */
  hint: string | undefined;
};

/** The box's listeners, attached once (the element's own methods, bound to it). */
export type CheckboxListeners = {
  click(event: MouseEvent): void;
  change(event: Event): void;
  keydown(event: KeyboardEvent): void;
  pointerdown(event: PointerEvent): void;
  slotchange(event: Event): void;
};

type Painted = {
  input: HTMLInputElement;
  /** The last `checked` written: like lit-html's property binding, written only when it changes. */
  checked?: boolean;
  fallback: Text;
  label: HTMLElement;
  text: HTMLElement;
  gap: Text;
  required: HTMLElement;
  requiredText: Text;
  hint: HTMLElement;
  hintText: Text;
};

const painted = new WeakMap<ShadowRoot, Painted>();

export function paintCheckbox(root: ShadowRoot, view: CheckboxView, on: CheckboxListeners): void {
  let nodes = painted.get(root);
  if (!nodes) {
    const label = partElement('label', 'base', 'base');
    const input = partElement('input', 'control');
    input.type = 'checkbox';
    input.addEventListener('click', on.click);
    input.addEventListener('change', on.change);
    input.addEventListener('keydown', on.keydown);
    input.addEventListener('pointerdown', on.pointerdown);
    const text = partElement('span', 'label', 'label');
    const slot = document.createElement('slot');
    slot.addEventListener('slotchange', on.slotchange);
    const fallback = textIn(slot);
    text.append(slot);
    label.append(input, text);
    const required = partElement('span', 'required-indicator', 'required');
    const requiredText = textIn(required);
    const hint = partElement('div', 'hint', 'hint');
    hint.id = 'hint';
    const hintText = textIn(hint);
    nodes = { input, fallback, label, text, gap: new Text(' '), required, requiredText, hint, hintText };
    painted.set(root, nodes);
    root.append(label);
  }
  const { input, hint } = nodes;
  if (nodes.checked !== view.checked) input.checked = nodes.checked = view.checked;
  input.toggleAttribute('disabled', view.disabled);
  input.toggleAttribute('required', view.required);
  setOrRemove(input, 'aria-label', view.ariaLabel);
  setOrRemove(input, 'aria-describedby', view.hint === undefined ? undefined : 'hint');
  setText(nodes.fallback, view.fallback);
  if (view.required) {
    setText(nodes.requiredText, `(${view.requiredText})`);
    if (!nodes.required.parentNode) nodes.text.append(nodes.gap, nodes.required);
  } else {
    nodes.gap.remove();
    nodes.required.remove();
  }
  if (view.hint === undefined) hint.remove();
  else {
    setText(nodes.hintText, view.hint);
    if (!hint.parentNode) nodes.label.after(hint);
  }
}
