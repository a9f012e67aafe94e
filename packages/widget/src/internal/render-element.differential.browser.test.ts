// The elements' base stands in for LitElement (render-element.ts, ADR 0003: Lit's element layer
// did not fit the drop-in's critical path). Hand-written where a library would do, it is checked
// against that library: the same generated sequences of attribute and property writes, reads and
// updates, on a LitElement and on a RenderElement (TemplateElement: painted with lit-html) declared alike, must leave the same attributes,
// the same values, the same renders and the same changed-property maps.
import { expect } from 'chai';
import { LitElement, type PropertyValues as LitPropertyValues, html as litHtml } from 'lit';
import { html } from 'lit/html.js';
import { seeded } from '../../test/support/seeded.js';
import type { PropertyDeclarations, PropertyValues } from './render-element.js';
import { TemplateElement } from './template-element.js';

const DECLARED = {
  on: { type: Boolean, reflect: true },
  flag: { type: Boolean, attribute: 'data-flag' },
  label: { reflect: true },
  count: { type: Number, reflect: true },
  note: {},
  hidden2: { attribute: false },
  inner: { state: true },
} satisfies PropertyDeclarations;
type Name = keyof typeof DECLARED;
const NAMES = Object.keys(DECLARED) as Name[];
const ATTRIBUTES = ['on', 'data-flag', 'label', 'count', 'note', 'hidden2', 'inner'];
const VALUES: Record<Name, readonly unknown[]> = {
  on: [true, false, undefined],
  flag: [true, false],
  label: ['a', 'b', '', undefined, null],
  count: [0, 1, 2, Number.NaN, null],
  note: ['x', 'y', undefined],
  hidden2: ['p', 'q'],
  inner: [1, 2, 'z'],
};
const ATTRIBUTE_VALUES = ['', 'a', '1', '2', 'false'];

/** What an element did, in order: each update's changed properties (with old values) and renders. */
type Log = string[];
type Probe = HTMLElement & Record<Name, unknown> & { log: Log; updateComplete: Promise<boolean> };
const describeChanges = (changed: ReadonlyMap<PropertyKey, unknown>) =>
  [...changed].map(([k, v]) => `${String(k)}=${JSON.stringify(v) ?? 'undefined'}`).join(',');

class LitProbe extends LitElement {
  static override properties = DECLARED;
  log: Log = [];
  protected override willUpdate(changed: LitPropertyValues): void {
    this.log.push(`willUpdate ${describeChanges(changed)}`);
  }
  protected override render() {
    const self = this as unknown as Record<Name, unknown>;
    this.log.push('render');
    return litHtml`<p>${String(self.label)} ${String(self.count)}</p>`;
  }
  protected override updated(changed: LitPropertyValues): void {
    this.log.push(`updated ${describeChanges(changed)}`);
  }
}

class OurProbe extends TemplateElement {
  static override properties = DECLARED;
  log: Log = [];
  protected override willUpdate(changed: PropertyValues): void {
    this.log.push(`willUpdate ${describeChanges(changed)}`);
  }
  protected template() {
    const self = this as unknown as Record<Name, unknown>;
    this.log.push('render');
    return html`<p>${String(self.label)} ${String(self.count)}</p>`;
  }
  protected override updated(changed: PropertyValues): void {
    this.log.push(`updated ${describeChanges(changed)}`);
  }
}

type Step =
  | { kind: 'property'; name: Name; value: unknown }
  | { kind: 'attribute'; name: string; value: string | null }
  | { kind: 'await' };

function sequence(seed: number, length: number): Step[] {
  const { next, pick } = seeded(seed);
  return Array.from({ length }, (): Step => {
    const roll = next();
    if (roll < 0.4) {
      const name = pick(NAMES);
      return { kind: 'property', name, value: pick(VALUES[name]) };
    }
    if (roll < 0.75)
      return { kind: 'attribute', name: pick(ATTRIBUTES), value: next() < 0.3 ? null : pick(ATTRIBUTE_VALUES) };
    return { kind: 'await' };
  });
}

const snapshot = (el: Probe) =>
  JSON.stringify({
    attributes: el
      .getAttributeNames()
      .sort()
      .map((n) => [n, el.getAttribute(n)]),
    values: NAMES.map((n) => [n, el[n] === undefined ? 'undefined' : Number.isNaN(el[n]) ? 'NaN' : el[n]]),
    shown: el.shadowRoot?.querySelector('p')?.textContent,
    log: el.log.splice(0),
  });

/** Runs `steps` on an element; returns what could be seen after each step. */
async function play(el: Probe, steps: readonly Step[], early: readonly Step[]): Promise<string[]> {
  const seen: string[] = [];
  for (const step of steps) {
    if (step.kind === 'property') el[step.name] = step.value;
    else if (step.kind === 'attribute') {
      if (step.value === null) el.removeAttribute(step.name);
      else el.setAttribute(step.name, step.value);
    } else seen.push(`${await el.updateComplete}`);
    seen.push(snapshot(el));
  }
  await el.updateComplete;
  seen.push(snapshot(el), `early ${early.length}`);
  return seen;
}

let defined = 0;
/** An element of `base`'s kind under a new tag, with `early` property writes made before its definition. */
async function made(base: typeof LitProbe | typeof OurProbe, early: readonly Step[]): Promise<Probe> {
  const tag = `render-probe-${defined++}`;
  const el = document.createElement(tag) as Probe;
  for (const step of early) if (step.kind === 'property') el[step.name] = step.value;
  document.body.append(el);
  customElements.define(tag, class extends (base as typeof OurProbe) {} as CustomElementConstructor);
  await el.updateComplete;
  return el;
}

describe('the elements’ base against LitElement (generated sequences)', () => {
  it('10,000 generated writes, reads and updates leave both with the same attributes, values, renders and changes', async () => {
    const SEQUENCES = 400;
    const LENGTH = 25;
    let steps = 0;
    for (let seed = 1; seed <= SEQUENCES; seed++) {
      const early = sequence(seed * 7919, seed % 4).filter((s) => s.kind === 'property');
      const plan = sequence(seed, LENGTH);
      const lit = await made(LitProbe, early);
      const ours = await made(OurProbe, early);
      try {
        const want = [snapshot(lit), ...(await play(lit, plan, early))];
        const got = [snapshot(ours), ...(await play(ours, plan, early))];
        expect(got, `sequence ${seed}: ${JSON.stringify(plan)}`).to.deep.equal(want);
      } finally {
        lit.remove();
        ours.remove();
      }
      steps += plan.length;
    }
    expect(steps).to.be.at.least(10_000);
  });
});
