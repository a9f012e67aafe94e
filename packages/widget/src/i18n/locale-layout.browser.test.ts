/**
 * Every element in every built-in language on a 320 px wide screen (WCAG 1.4.10): nothing wider
 * than the screen, nothing clipped. Each language gets a frame of its own, 320 px wide, so the
 * elements' own media queries see a phone. Right-to-left languages also get: the layout mirrored
 * (the box on the right, text aligned to the start), logical properties only in every element's
 * styles, and axe clean.
 */
import { cleanup, expectAccessible, fixture, until } from '@consentkit/test-support/browser';
import { expect } from 'chai';
import { translatedPolicy } from '../../test/support/translated-policy.js';
import { configure, resetConfig } from '../config.js';
import { ConsentCheckbox } from '../consent-checkbox/consent-checkbox.js';
import { ConsentNotice } from '../consent-notice/consent-notice.js';
import { ConsentOptOut } from '../consent-optout/consent-optout.js';
import { ConsentPreferences } from '../consent-preferences/consent-preferences.js';
import { loadLocale, SUPPORTED_LOCALES } from './locale-tables.js';

const RTL = new Set(['ar', 'he']);
const WIDTH = 320;
const ELEMENTS = `
  <consent-checkbox purpose="newsletter"></consent-checkbox>
  <consent-checkbox purpose="surveys" required></consent-checkbox>
  <consent-optout purpose="newsletter"></consent-optout>
  <consent-optout purpose="surveys"></consent-optout>
  <consent-preferences purposes="newsletter surveys"></consent-preferences>
  <consent-notice></consent-notice>`;

/** A same-origin frame WIDTH px wide holding every element in `locale`, loaded from the sources. */
async function frameFor(locale: string): Promise<Document> {
  const frame = document.createElement('iframe');
  frame.style.cssText = `width:${WIDTH}px;height:900px;border:0`;
  const dir = RTL.has(locale) ? 'rtl' : 'ltr';
  frame.srcdoc = `<!doctype html><html lang="${locale}" dir="${dir}"><head><meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <style>body { margin: 8px; font: 16px/1.4 sans-serif; }</style>
    <script type="module">
      import { configure } from '/packages/widget/src/define.ts';
      import { loadLocale } from '/packages/widget/src/i18n/locale-tables.ts';
      import { translatedPolicy } from '/packages/widget/test/support/translated-policy.ts';
      configure({ policy: translatedPolicy() });
      await loadLocale('${locale}');
      await customElements.whenDefined('consent-preferences');
      document.documentElement.dataset.ready = 'yes';
    </script></head><body>${ELEMENTS}</body></html>`;
  document.body.append(frame);
  const doc = await until(
    () => (frame.contentDocument?.documentElement?.dataset.ready ? frame.contentDocument : undefined),
    `the ${locale} frame`,
    15_000,
  );
  const hosts = Array.from(doc.querySelectorAll<HTMLElement & { updateComplete?: Promise<unknown> }>('body > *'));
  await Promise.all(hosts.map((h) => h.updateComplete));
  await until(() => hosts.every((h) => (h.shadowRoot?.textContent ?? '').trim().length > 0), 'every element rendered');
  return doc;
}

/** Every element of the page and of the elements' shadow roots. */
function allNodes(doc: Document): Element[] {
  const out: Element[] = [];
  for (const host of Array.from(doc.body.children)) {
    out.push(host, ...Array.from(host.shadowRoot?.querySelectorAll('*') ?? []));
  }
  return out;
}

function describeNode(el: Element): string {
  const host = (el.getRootNode() as ShadowRoot).host;
  return `${host ? `${host.localName} >>> ` : ''}${el.localName}${el.getAttribute('part') ? `[part=${el.getAttribute('part')}]` : ''}`;
}

/** What overflows or clips: wider content than box, or a box past either edge of the screen. */
function layoutProblems(doc: Document): string[] {
  const problems: string[] = [];
  const width = doc.documentElement.clientWidth;
  if (doc.documentElement.scrollWidth > width)
    problems.push(`page scrolls sideways: ${doc.documentElement.scrollWidth} > ${width}`);
  for (const el of allNodes(doc)) {
    if (['style', 'slot', 'template'].includes(el.localName)) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 && rect.height === 0) continue;
    if (rect.left < -0.5 || rect.right > width + 0.5) {
      problems.push(`${describeNode(el)} is outside the screen (${rect.left}–${rect.right} of ${width})`);
    }
    // A box whose content is wider than itself clips it or scrolls it out of sight.
    // (Element, not HTMLElement: the frame's nodes belong to its own realm.)
    if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) {
      problems.push(`${describeNode(el)} overflows: content ${el.scrollWidth} px in ${el.clientWidth} px`);
    }
  }
  return problems;
}

describe('every language at 320 px', () => {
  afterEach(() => {
    for (const frame of Array.from(document.querySelectorAll('iframe'))) frame.remove();
  });

  for (const locale of SUPPORTED_LOCALES) {
    it(`${locale}: no element overflows, clips or leaves the screen (WCAG 1.4.10)`, async () => {
      const doc = await frameFor(locale);
      // The elements really show this language's strings (not English while a chunk loads).
      const table = await loadLocale(locale);
      const preferences = doc.querySelector('consent-preferences')?.shadowRoot;
      expect(preferences?.querySelector('legend')?.textContent).to.equal(table?.preferencesTitle);
      // The boxes rendered before the strings arrived (English), and again when they did.
      const surveys = doc.querySelector('consent-checkbox[purpose="surveys"]')?.shadowRoot;
      expect(surveys?.querySelector('[part="hint"]')?.textContent).to.equal(table?.withdrawHint);
      expect(layoutProblems(doc)).to.deep.equal([]);
    });
  }

  for (const locale of ['ar', 'he']) {
    it(`${locale}: the layout is mirrored, with nothing anchored to the left`, async () => {
      const doc = await frameFor(locale);
      const width = doc.documentElement.clientWidth;
      for (const el of allNodes(doc)) {
        const style = (el.ownerDocument.defaultView as Window).getComputedStyle(el);
        expect(style.direction, describeNode(el)).to.equal('rtl');
        expect(['left', 'right'], `${describeNode(el)} text-align`).not.to.include(style.textAlign);
        expect(style.float, `${describeNode(el)} float`).to.equal('none');
      }
      const boxes = Array.from(doc.querySelectorAll('consent-checkbox'), (host) => {
        const root = host.shadowRoot as ShadowRoot;
        return {
          box: (root.querySelector('input') as HTMLElement).getBoundingClientRect(),
          label: (root.querySelector('[part="label"]') as HTMLElement).getBoundingClientRect(),
          hint: root.querySelector('[part="hint"]')?.getBoundingClientRect(),
        };
      });
      for (const { box, label, hint } of boxes) {
        // The box starts the line on the right, its label runs to its left.
        expect(box.right).to.be.greaterThan(width - 40);
        expect(label.right).to.be.at.most(box.left + 0.5);
        // The hint lines up under the label, indented from the right as the box is wide.
        if (hint) expect(hint.right).to.be.closeTo(label.right, 1);
      }
      for (const host of Array.from(doc.querySelectorAll('consent-optout'))) {
        const button = host.shadowRoot?.querySelector('button')?.getBoundingClientRect();
        const status = host.shadowRoot?.querySelector('[part="status"]')?.getBoundingClientRect();
        expect(button?.right).to.be.closeTo(host.getBoundingClientRect().right, 1);
        expect(status?.right).to.be.closeTo(host.getBoundingClientRect().right, 1);
      }
      const prefs = doc.querySelector('consent-preferences')?.shadowRoot as ShadowRoot;
      for (const row of Array.from(prefs.querySelectorAll('.purpose'))) {
        const box = (row.querySelector('input') as HTMLElement).getBoundingClientRect();
        const label = (row.querySelector('label') as HTMLElement).getBoundingClientRect();
        expect(label.right).to.be.at.most(box.left + 0.5);
      }
      const notice = doc.querySelector('consent-notice')?.shadowRoot as ShadowRoot;
      const caption = (notice.querySelector('caption') as HTMLElement).getBoundingClientRect();
      expect(caption.right).to.be.greaterThan(width - 40);
    });
  }
});

describe('the layout check itself', () => {
  it('finds content wider than its box and a box past the edge of the screen (it can fail)', async () => {
    const frame = document.createElement('iframe');
    frame.style.cssText = `width:${WIDTH}px;height:200px;border:0`;
    frame.srcdoc = `<!doctype html><html><body style="margin:0">
      <div style="width:100px;overflow:hidden"><span style="white-space:nowrap">${'wide '.repeat(40)}</span></div>
      <p style="width:200px;margin-inline-start:200px">past the edge</p></body></html>`;
    const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    document.body.append(frame);
    try {
      await loaded;
      const problems = layoutProblems(frame.contentDocument as Document);
      expect(
        problems.some((p) => p.startsWith('div overflows')),
        problems.join('; '),
      ).to.equal(true);
      expect(
        problems.some((p) => p.startsWith('p is outside the screen')),
        problems.join('; '),
      ).to.equal(true);
    } finally {
      frame.remove();
    }
  });
});

describe('right-to-left styles', () => {
  it('every element styles with logical properties only (no left/right)', () => {
    const physical =
      /(margin|padding|border|inset)-(left|right)\b|(^|[;{\s])(left|right)\s*:|text-align\s*:\s*(left|right)|float\s*:\s*(left|right)|clear\s*:\s*(left|right)/;
    for (const element of [ConsentCheckbox, ConsentOptOut, ConsentNotice, ConsentPreferences]) {
      const styles = [element.styles].flat(Infinity) as string[];
      expect(styles.join(''), element.name).to.match(/\{/);
      for (const sheet of styles) expect(sheet, element.name).not.to.match(physical);
    }
  });
});

describe('right-to-left accessibility', () => {
  before(() => {
    ConsentCheckbox.define();
    ConsentOptOut.define();
    ConsentNotice.define();
    ConsentPreferences.define();
  });
  afterEach(() => {
    cleanup();
    resetConfig();
  });

  for (const locale of ['ar', 'he']) {
    it(`${locale}: every element passes axe (WCAG 2.2 AA)`, async () => {
      configure({ policy: translatedPolicy() });
      await loadLocale(locale);
      const root = await fixture<HTMLElement>(`<main lang="${locale}" dir="rtl">${ELEMENTS}</main>`);
      await until(() => (root.querySelector('consent-notice')?.shadowRoot?.textContent ?? '').includes('—'));
      await expectAccessible(root);
    });
  }
});
