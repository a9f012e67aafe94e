/**
 * What `<consent-optout>` shows, painted by hand into its shadow root: the sentence stating the
 * current state (a live region), then either its one action or, under GPC, "Opt-Out Request
 * Honored". lit-html would cost the critical path ~2.7 KB for these few nodes
 * (docs/decisions/0003); hand-painted.differential.browser.test.ts holds this to the lit-html
 * template it replaced, over thousands of generated states.
 */
import { partElement, setText, textIn } from '../internal/dom.js';

/** The control's state as shown, computed by the element at each update. */
export type OptOutView = {
  status: string;
  /** What the button does from here; its label. */
  action: string;
  /** Under GPC, the notice shown instead of the button; undefined otherwise. */
  gpc: string | undefined;
};

/** The button's listeners, attached once (the element's own methods, bound to it). */
export type OptOutListeners = { click(event: MouseEvent): void; keydown(event: KeyboardEvent): void };

type Painted = { status: Text; button: HTMLElement; action: Text; gpc: HTMLElement; gpcText: Text };

const painted = new WeakMap<ShadowRoot, Painted>();

export function paintOptOut(root: ShadowRoot, view: OptOutView, on: OptOutListeners): void {
  let nodes = painted.get(root);
  if (!nodes) {
    const base = partElement('div', 'base', 'base');
    const statusLine = partElement('p', 'status');
    statusLine.setAttribute('role', 'status');
    const status = textIn(statusLine);
    const button = partElement('button', 'button');
    button.type = 'button';
    button.addEventListener('click', on.click);
    button.addEventListener('keydown', on.keydown);
    const action = textIn(button);
    const gpc = partElement('p', 'gpc', 'gpc');
    const gpcText = textIn(gpc);
    // The spaces between the nodes are the template's own: text, as lit-html kept them.
    base.append(' ', statusLine, ' ', button, ' ');
    nodes = { status, button, action, gpc, gpcText };
    painted.set(root, nodes);
    root.append(base);
  }
  setText(nodes.status, view.status);
  setText(nodes.action, ` ${view.action} `);
  if (view.gpc === undefined) nodes.gpc.replaceWith(nodes.button);
  else {
    setText(nodes.gpcText, view.gpc);
    nodes.button.replaceWith(nodes.gpc);
  }
}
