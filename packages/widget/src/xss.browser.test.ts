/**
 * XSS inside the widget's elements (security by default): hostile strings in every text field of the policy
 * (purpose titles, descriptions and labels, the notice table's cells, practices, promises, the
 * organisation, recipients), in slotted labels, in `lang`/`purpose` and other attribute values,
 * and a `javascript:` policy URL, must stay inert in <consent-checkbox>, <consent-optout>,
 * <consent-notice> and <consent-preferences>: no script runs, no element or attribute is
 * injected, no link carries a javascript: URL, and the hostile text is shown as text.
 *
 * The second half loads the elements into a page with a strict CSP (no 'unsafe-inline') and
 * feeds the same strings through the page's own policy fetch and attributes: an injection would
 * show up there as a `securitypolicyviolation` as well.
 */
import type { Policy } from '@consentkit/core';
import { fixture, settle } from '@consentkit/test-support/browser';
import { testPolicy } from '@consentkit/test-support/policy';
import { expect } from 'chai';
import { useMemoryClient } from '../test/support/memory-client.js';
import { ConsentCheckbox } from './consent-checkbox/consent-checkbox.js';
import { ConsentNotice } from './consent-notice/consent-notice.js';
import { ConsentOptOut } from './consent-optout/consent-optout.js';
import { ConsentPreferences } from './consent-preferences/consent-preferences.js';

ConsentCheckbox.define();
ConsentOptOut.define();
ConsentNotice.define();
ConsentPreferences.define();

type XssWindow = Window & { __xss?: (where: string) => void };

/**
 * One string with every classic vector; each would call window.__xss(where) if it ever became
 * markup or script. `<xss-marker>` catches element injection even where scripts would not run.
 */
function hostile(where: string): string {
  const call = `__xss('${where}')`;
  return [
    `"><img src=x onerror="${call}">`,
    `<script>${call}</script>`,
    `<svg onload="${call}"></svg>`,
    `'><xss-marker id="m-${where}"></xss-marker>`,
    `<a href="javascript:${call}">x</a>`,
    `\${${call}}{{constructor.constructor('${call}')()}}`,
  ].join(' ');
}

/** Every human-readable string of the policy replaced by a hostile one naming its path. */
function hostilePolicy(): Policy {
  const walk = (value: unknown, path: string): unknown => {
    if (typeof value === 'string') return hostile(path.replace(/[^a-z0-9]+/gi, '-'));
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}.${i}`));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, `${path}.${k}`)]));
    }
    return value;
  };
  const base = testPolicy();
  const text = (field: unknown, path: string) => walk(field, path) as never;
  return {
    ...base,
    // A link target a careless template might render as href.
    url: "javascript:__xss('policy-url')",
    controller: {
      ...base.controller,
      name: text(base.controller.name, 'controller'),
      contact: { email: text('x', 'email') },
    },
    dataCategories: base.dataCategories.map((c, i) => ({
      ...c,
      type: text(c.type, `cat${i}.type`),
      collected: text(c.collected, `cat${i}.collected`),
      collectedBy: text(c.collectedBy, `cat${i}.by`),
      purpose: text(c.purpose, `cat${i}.purpose`),
      usedBy: text(c.usedBy, `cat${i}.usedBy`),
      storedIn: text(c.storedIn, `cat${i}.storedIn`),
    })),
    recipients: base.recipients.map((r, i) => ({
      ...r,
      name: text(r.name, `recipient${i}`),
      ...(r.description ? { description: text(r.description, `recipient${i}.description`) } : {}),
    })),
    purposes: base.purposes.map((p) => ({
      ...p,
      title: text(p.title, `${p.id}.title`),
      description: text(p.description, `${p.id}.description`),
      ...(p.label ? { label: text(p.label, `${p.id}.label`) } : {}),
    })),
    practices: text(base.practices, 'practices'),
    promises: { ...base.promises, text: text(base.promises.text, 'promises') },
  };
}

const HOSTILE_ATTRIBUTE = `x" onmouseover="__xss('attr')" data-x="`;
const HOSTILE_LANG = `fr"><img src=x onerror="__xss('lang')">`;

/**
 * Everything injected or unsafe in `root` (an element with its shadow root, a shadow root or a
 * document), recursively through every shadow root. `root`'s own attributes are not judged:
 * the test set those itself.
 */
function injected(root: Document | ShadowRoot | Element): string[] {
  const found: string[] = [];
  const inspect = (el: Element) => {
    const tag = el.localName;
    if (['script', 'img', 'svg', 'iframe', 'object', 'embed', 'xss-marker'].includes(tag)) found.push(`<${tag}>`);
    for (const attr of el.attributes) {
      if (attr.name.startsWith('on')) found.push(`${tag}[${attr.name}]`);
      if (['href', 'src', 'action', 'formaction', 'xlink:href'].includes(attr.name)) {
        const value = attr.value.trim().toLowerCase();
        if (value.startsWith('javascript:') || value.startsWith('data:')) {
          found.push(`${tag}[${attr.name}=${attr.value}]`);
        }
      }
    }
  };
  const visit = (node: ParentNode) => {
    for (const el of node.querySelectorAll('*')) {
      inspect(el);
      if (el.shadowRoot) visit(el.shadowRoot);
    }
  };
  visit(root);
  if (root instanceof Element && root.shadowRoot) visit(root.shadowRoot);
  return found;
}

/** Text as shown, across shadow roots (slotted light DOM included through its host). */
function shownText(el: Element): string {
  return `${el.textContent ?? ''} ${el.shadowRoot?.textContent ?? ''}`;
}

describe('XSS: hostile strings inside the elements are inert', () => {
  const calls: string[] = [];
  useMemoryClient(hostilePolicy);

  beforeEach(() => {
    calls.length = 0;
    (window as XssWindow).__xss = (where) => calls.push(where);
  });
  afterEach(() => {
    delete (window as XssWindow).__xss;
  });

  /**
   * Mounts `tag` with hostile attribute values set through setAttribute (as a framework or a CMS
   * template would: the values are data, never parsed as markup by the test itself) and a text
   * label, lets every deferred render happen, hovers everything, then returns the element.
   */
  async function mount(
    tag: string,
    attributes: Record<string, string>,
    options: { label?: string; inForm?: boolean } = {},
  ): Promise<HTMLElement> {
    const host = await fixture<HTMLElement>(options.inForm ? '<form></form>' : '<div></div>');
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
    if (options.label !== undefined) el.textContent = options.label;
    host.append(el);
    await new Promise((r) => setTimeout(r, 100));
    await settle(el);
    el.dispatchEvent(new MouseEvent('mouseover', { bubbles: true, composed: true }));
    for (const inner of el.shadowRoot?.querySelectorAll('*') ?? []) {
      inner.dispatchEvent(new MouseEvent('mouseover', { bubbles: true, composed: true }));
    }
    await new Promise((r) => setTimeout(r, 50));
    return el;
  }

  it('<consent-checkbox>: policy label and wording, slotted label, lang and attributes', async () => {
    const box = await mount(
      'consent-checkbox',
      { purpose: 'credit-check', name: HOSTILE_ATTRIBUTE, lang: HOSTILE_LANG, 'aria-describedby': HOSTILE_ATTRIBUTE },
      { label: hostile('slot-label'), inForm: true },
    );
    expect(injected(box), 'nothing injected').to.deep.equal([]);
    expect(calls, 'no script ran').to.deep.equal([]);
    expect(shownText(box), 'the slotted hostile label is shown as text').to.include(
      `<img src=x onerror="__xss('slot-label')">`,
    );
    expect(box.getAttribute('lang'), 'the attribute keeps its value as data').to.equal(HOSTILE_LANG);
    // The hostile name is the form field's name, as data.
    const form = box.closest('form') as HTMLFormElement;
    const input = box.shadowRoot?.querySelector('input');
    if (!input) throw new Error('the checkbox rendered no input');
    input.click();
    await settle(box);
    expect([...new FormData(form).keys()]).to.deep.equal([HOSTILE_ATTRIBUTE]);
  });

  it('<consent-checkbox> without a slotted label shows the policy label as text', async () => {
    const el = await mount('consent-checkbox', { purpose: 'credit-check' });
    expect(injected(el)).to.deep.equal([]);
    expect(calls).to.deep.equal([]);
    expect(shownText(el), 'the hostile policy label reached the page as text').to.include('__xss(');
  });

  it('<consent-optout>: hostile purpose title, description and label, lang and purpose attributes', async () => {
    const el = await mount('consent-optout', { purpose: 'marketing', lang: HOSTILE_LANG });
    expect(injected(el)).to.deep.equal([]);
    expect(calls).to.deep.equal([]);
    expect(shownText(el)).to.include('__xss(');
    // A purpose that does not exist, with markup in its name.
    const other = await mount('consent-optout', { purpose: HOSTILE_ATTRIBUTE, lang: HOSTILE_LANG });
    expect(injected(other)).to.deep.equal([]);
    expect(calls).to.deep.equal([]);
  });

  it('<consent-notice>: every table cell, the practices, the organisation and the policy link', async () => {
    const el = await mount('consent-notice', { lang: HOSTILE_LANG, 'heading-level': HOSTILE_ATTRIBUTE });
    expect(injected(el)).to.deep.equal([]);
    expect(calls).to.deep.equal([]);
    const text = shownText(el);
    for (const where of ['cat0-type', 'cat0-storedIn', 'recipient0', 'practices-express']) {
      expect(text, `${where} is shown as text`).to.include(`__xss('${where}`);
    }
  });

  it('<consent-preferences>: purpose titles and descriptions in the preference list', async () => {
    const el = await mount('consent-preferences', { lang: HOSTILE_LANG, title: HOSTILE_ATTRIBUTE });
    expect(injected(el)).to.deep.equal([]);
    expect(calls).to.deep.equal([]);
    expect(shownText(el)).to.include("__xss('marketing-description");
  });

  it('the detector is not blind: the same string through innerHTML does inject', async () => {
    const probe = document.createElement('div');
    probe.innerHTML = hostile('probe');
    document.body.append(probe);
    try {
      // The image's error (and so its handler) comes after a network round trip: wait for it.
      for (let waited = 0; !calls.includes('probe') && waited < 5000; waited += 25) {
        await new Promise((r) => setTimeout(r, 25));
      }
      expect(injected(probe)).to.include.members([
        '<img>',
        'img[onerror]',
        '<xss-marker>',
        "a[href=javascript:__xss('probe')]",
      ]);
      expect(calls, 'the onerror handler of the injected image ran').to.include('probe');
    } finally {
      probe.remove();
    }
  });
});

describe('XSS under a strict CSP page', () => {
  it('hostile policy text and attributes cause no violation and no injection', async () => {
    const url = new URL('../test/support/strict-csp.html', import.meta.url).href;
    const frame = document.createElement('iframe');
    frame.title = 'strict CSP page';
    const violations: string[] = [];
    const calls: string[] = [];
    try {
      const loaded = new Promise<void>((resolve) => frame.addEventListener('load', () => resolve(), { once: true }));
      frame.src = url;
      document.body.append(frame);
      await loaded;
      const doc = frame.contentDocument as Document;
      const win = frame.contentWindow as XssWindow & typeof globalThis;
      doc.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective} ${e.blockedURI}`));
      win.__xss = (where) => calls.push(where);
      // The page's own policy fetch answers with the hostile policy (set from outside: no script
      // in the page is needed, and none could run there).
      const policy = hostilePolicy();
      win.fetch = async () => new Response(JSON.stringify(policy), { headers: { 'content-type': 'application/json' } });
      await win.customElements.whenDefined('consent-checkbox');
      const config = doc.createElement('consent-config');
      config.setAttribute('policy', '/hostile-policy.json');
      config.setAttribute('lang', HOSTILE_LANG);
      doc.body.prepend(config);
      const added: Element[] = [config];
      for (const tag of ['consent-checkbox', 'consent-optout', 'consent-notice']) {
        const el = doc.createElement(tag);
        added.push(el);
        el.setAttribute('purpose', tag === 'consent-checkbox' ? 'credit-check' : 'marketing');
        el.setAttribute('title', HOSTILE_ATTRIBUTE);
        el.textContent = tag === 'consent-checkbox' ? hostile('csp-label') : '';
        doc.body.append(el);
      }
      // The policy arrives asynchronously; wait until the notice shows its hostile table text.
      const notice = doc.querySelector('consent-notice') as HTMLElement;
      const start = Date.now();
      while (!(notice.shadowRoot?.textContent ?? '').includes('__xss(') && Date.now() - start < 10_000) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(notice.shadowRoot?.textContent, 'the hostile policy reached the notice').to.include('__xss(');
      await new Promise((r) => setTimeout(r, 200));
      // Inside what this test added (the page's own module script is not an injection).
      expect(added.flatMap((el) => injected(el))).to.deep.equal([]);
      expect(calls, 'no script ran').to.deep.equal([]);
      expect(violations, 'no CSP violation').to.deep.equal([]);
    } finally {
      frame.remove();
    }
  });
});
