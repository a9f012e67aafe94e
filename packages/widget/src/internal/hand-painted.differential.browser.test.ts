// The controls paint their shadow roots by hand (checkbox-view.ts, optout-view.ts) because
// lit-html did not fit the drop-in's critical path (ADR 0003). Hand-written where a library would
// do, they are checked against that library: the lit-html templates they replaced, rendered from
// the same generated sequences of states into a shadow root of their own, must leave the same
// nodes (elements, attributes in any order, text; lit-html's comment markers aside), the same live
// `checked` (also after the person toggled the box between updates), and the same listeners.
import { expect } from 'chai';
import { html, nothing, render } from 'lit/html.js';
import { seeded } from '../../test/support/seeded.js';
import { type CheckboxListeners, type CheckboxView, paintCheckbox } from '../consent-checkbox/checkbox-view.js';
import { type OptOutListeners, type OptOutView, paintOptOut } from '../consent-optout/optout-view.js';

const TEXTS = [
  '',
  ' ',
  'Send me offers',
  '<b>bold</b> & "quoted"',
  'Ne pas m’envoyer d’offres',
  'لا ترسل لي عروضاً',
  '  spaced  out  ',
];

/** A node as the person and assistive technology get it: elements, sorted attributes, merged text. */
function shape(node: Node): unknown {
  const children: unknown[] = [];
  let text = '';
  for (const child of node.childNodes) {
    if (child.nodeType === Node.COMMENT_NODE) continue;
    if (child.nodeType === Node.TEXT_NODE) {
      text += (child as Text).data;
      continue;
    }
    if (text) children.push(text);
    text = '';
    children.push(shape(child));
  }
  if (text) children.push(text);
  if (!(node instanceof Element)) return children;
  const attributes = Array.from(node.attributes, (a) => `${a.name}=${a.value}`).sort();
  return { tag: node.localName, attributes, children };
}

/**
 * One sequence's two sides: a shadow root lit-html renders into and one the hand painting paints,
 * each with listeners that log which one ran; `done` removes both.
 */
function sides<K extends string>(names: readonly K[]) {
  const hosts = [document.createElement('div'), document.createElement('div')];
  document.body.append(...hosts);
  const [litRoot, ourRoot] = hosts.map((host) => host.attachShadow({ mode: 'open' })) as [ShadowRoot, ShadowRoot];
  const litLog: string[] = [];
  const ourLog: string[] = [];
  const logged = (log: string[]) => {
    const listeners = {} as Record<K, (event: Event) => void>;
    for (const name of names) listeners[name] = () => log.push(name);
    return listeners;
  };
  const done = () => {
    for (const host of hosts) host.remove();
  };
  return { litRoot, ourRoot, litLog, ourLog, lit: logged(litLog), ours: logged(ourLog), done };
}

describe('the controls painted by hand, against the lit-html templates they replaced', () => {
  it('<consent-checkbox>: 10,000 generated states in 200 sequences leave the same nodes, checked state and listeners', () => {
    const names = ['click', 'change', 'keydown', 'pointerdown', 'slotchange'] as const;
    for (let seed = 1; seed <= 200; seed++) {
      const g = seeded(seed);
      const { litRoot, ourRoot, litLog, ourLog, lit, done, ...side } = sides(names);
      const ours = side.ours as unknown as CheckboxListeners;
      const template = (v: CheckboxView) =>
        html`<label part="base" class="base"><input part="control" type="checkbox" .checked=${v.checked} ?disabled=${v.disabled} ?required=${v.required} aria-label=${v.ariaLabel ?? nothing} aria-describedby=${v.hint === undefined ? nothing : 'hint'} @click=${lit.click} @change=${lit.change} @keydown=${lit.keydown} @pointerdown=${lit.pointerdown}/><span part="label" class="label"><slot @slotchange=${lit.slotchange}>${v.fallback}</slot>${v.required ? html` <span part="required-indicator" class="required">(${v.requiredText})</span>` : nothing}</span></label>${v.hint === undefined ? nothing : html`<div part="hint" class="hint" id="hint">${v.hint}</div>`}`;
      try {
        for (let step = 0; step < 50; step++) {
          const view: CheckboxView = {
            checked: g.bool(),
            disabled: g.bool(),
            required: g.bool(),
            ariaLabel: g.bool() ? undefined : g.pick(TEXTS),
            fallback: g.pick(TEXTS),
            requiredText: g.pick(['required', 'obligatoire', '']),
            hint: g.bool() ? undefined : g.pick(TEXTS),
          };
          render(template(view), litRoot);
          paintCheckbox(ourRoot, view, ours);
          const where = `seed ${seed}, step ${step}`;
          expect(shape(ourRoot), where).to.deep.equal(shape(litRoot));
          const inputs = [litRoot, ourRoot].map((root) => root.querySelector('input') as HTMLInputElement);
          expect(inputs[1]?.checked, where).to.equal(inputs[0]?.checked);
          // The person toggles the box between updates: neither writes `checked` back unless it changed.
          if (g.bool()) for (const input of inputs) if (input) input.checked = !input.checked;
        }
        for (const root of [litRoot, ourRoot]) {
          const input = root.querySelector('input') as HTMLInputElement;
          for (const type of ['click', 'change', 'keydown', 'pointerdown'])
            input.dispatchEvent(new Event(type, { bubbles: true }));
          root.querySelector('slot')?.dispatchEvent(new Event('slotchange'));
        }
        expect(ourLog, `seed ${seed}: listeners`).to.deep.equal(litLog);
      } finally {
        done();
      }
    }
  });

  it('<consent-optout>: 10,000 generated states in 200 sequences leave the same nodes and listeners', () => {
    const names = ['click', 'keydown'] as const;
    for (let seed = 1; seed <= 200; seed++) {
      const g = seeded(seed);
      const { litRoot, ourRoot, litLog, ourLog, lit, done, ...side } = sides(names);
      const ours = side.ours as unknown as OptOutListeners;
      const template = (v: OptOutView) =>
        html`<div part="base" class="base"> <p part="status" role="status">${v.status}</p> ${v.gpc === undefined ? html`<button part="button" type="button" @click=${lit.click} @keydown=${lit.keydown}> ${v.action} </button>` : html`<p part="gpc" class="gpc">${v.gpc}</p>`} </div>`;
      try {
        for (let step = 0; step < 50; step++) {
          const view: OptOutView = {
            status: g.pick(TEXTS),
            action: g.pick(TEXTS),
            gpc: g.bool() ? undefined : g.pick(TEXTS),
          };
          render(template(view), litRoot);
          paintOptOut(ourRoot, view, ours);
          expect(shape(ourRoot), `seed ${seed}, step ${step}`).to.deep.equal(shape(litRoot));
        }
        for (const root of [litRoot, ourRoot]) {
          const button = root.querySelector('button');
          for (const type of ['click', 'keydown']) button?.dispatchEvent(new Event(type, { bubbles: true }));
        }
        expect(ourLog, `seed ${seed}: listeners`).to.deep.equal(litLog);
      } finally {
        done();
      }
    }
  });
});
