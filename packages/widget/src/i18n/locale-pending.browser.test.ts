/**
 * While a language's table is on its way, its elements show no English: they keep their place,
 * hidden, unannounced and out of reach, until the table lands (then they show the language) or
 * fails or outlasts its bound (then they show English). The chunks are held back or failed through
 * the test runner's gate (web-test-runner.config.mjs), for this page only. This file is its own
 * page: a browser keeps a failed import failed, so no other test may need the language failed here.
 */
import { expectAccessible, fixture, shadowText, until } from '@consentkit/test-support/browser';
import { expect } from 'chai';
import { gateLocaleChunk as gate } from '../../test/support/locale-chunk-gate.js';
import { useMemoryClient } from '../../test/support/memory-client.js';
import { translatedPolicy } from '../../test/support/translated-policy.js';
import { subscribeConfig } from '../config.js';
import { ConsentCheckbox } from '../consent-checkbox/consent-checkbox.js';
import { ConsentNotice } from '../consent-notice/consent-notice.js';
import { ConsentOptOut } from '../consent-optout/consent-optout.js';
import { ConsentPreferences } from '../consent-preferences/consent-preferences.js';
import { LOAD_BOUND_MS, loadLocale } from './locale-tables.js';
import en from './locales/en.js';
import { format, type WidgetStrings } from './strings.js';

ConsentCheckbox.define();
ConsentOptOut.define();
ConsentNotice.define();
ConsentPreferences.define();

/** Every non-blank text node in the element's shadow root, and its (slotted) light DOM. */
function texts(host: Element): Text[] {
  const found: Text[] = [];
  for (const root of [host.shadowRoot as ShadowRoot, host]) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.textContent?.trim()) found.push(node as Text);
    }
  }
  return found;
}

/**
 * Text a person could see or hear: a text node whose element is rendered and not
 * `visibility: hidden` (which also keeps it out of the accessibility tree).
 */
function shownText(host: Element): string {
  return texts(host)
    .filter((node) => getComputedStyle(node.parentElement as Element).visibility !== 'hidden')
    .map((node) => node.textContent?.trim())
    .join(' ');
}

/** The host's controls a person could reach: focusing them takes focus. */
function focusable(host: Element): Element[] {
  return Array.from(host.shadowRoot?.querySelectorAll('input, button') ?? []).filter((control) => {
    (control as HTMLElement).focus();
    return host.shadowRoot?.activeElement === control;
  });
}

const FRENCH_FORM = `<form lang="fr" data-consent-purpose="application-processing">
  <consent-checkbox name="news" purpose="newsletter"></consent-checkbox>
  <consent-optout purpose="newsletter"></consent-optout>
  <consent-checkbox id="surveys" name="surveys" purpose="surveys"></consent-checkbox>
  <label for="surveys">Sondages</label>
  <button>Envoyer</button>
</form>`;

describe('a language still loading', () => {
  const memory = useMemoryClient(() => translatedPolicy());
  afterEach(async () => {
    for (const language of ['fr', 'it', 'es']) await gate(language, 'release');
  });

  it('shows no English while the table is on its way, then the language, axe-clean', async () => {
    await gate('fr', 'hold');
    const page = await fixture<HTMLElement>(`<main>${FRENCH_FORM}
      <consent-preferences lang="fr" purposes="newsletter surveys"></consent-preferences>
      <consent-notice lang="fr"></consent-notice></main>`);
    const form = page.querySelector('form') as HTMLFormElement;
    const box = form.querySelector('consent-checkbox') as ConsentCheckbox;
    const optout = form.querySelector('consent-optout') as ConsentOptOut;
    const panels = [page.querySelector('consent-preferences'), page.querySelector('consent-notice')] as HTMLElement[];
    for (const host of [box, optout, ...panels]) {
      expect(host.hasAttribute('data-locale-pending'), host.localName).to.equal(true);
      // The structure is there (the English a renderer would fall back to is in it), unseen.
      expect(texts(host).length, `${host.localName} renders its parts`).to.be.greaterThan(0);
      expect(shownText(host), `${host.localName} shows no text`).to.equal('');
      expect(focusable(host), `${host.localName} is out of reach`).to.deep.equal([]);
      expect(host.getBoundingClientRect().height, `${host.localName} keeps its place`).to.be.greaterThan(0);
    }
    // A click on the box's place reaches nothing of it, nor does one on the page's own label.
    const input = box.shadowRoot?.querySelector('input') as HTMLInputElement;
    const at = input.getBoundingClientRect();
    expect(box.contains(document.elementFromPoint(at.x + at.width / 2, at.y + at.height / 2))).to.equal(false);
    const surveys = form.querySelector('#surveys') as ConsentCheckbox;
    (form.querySelector('label') as HTMLLabelElement).click();
    await surveys.updateComplete;
    expect(surveys.checked, 'ticked through its label while hidden').to.equal(false);

    // Meanwhile the box's value goes with its form, and a script's submission records no
    // decision on words the person never saw (the form's own purpose is recorded).
    box.checked = true;
    await box.updateComplete;
    expect(new FormData(form).get('news')).to.equal('on');
    box.checked = false;
    await box.updateComplete;
    form.addEventListener('submit', (event) => event.preventDefault());
    const captured = new Promise((resolve) => form.addEventListener('consent-captured', resolve, { once: true }));
    form.requestSubmit();
    expect(box.hasAttribute('data-locale-pending'), 'still waiting at the submission').to.equal(true);
    await captured;
    const decisions = memory().backend.entries()[0]?.record.decisions ?? [];
    expect(decisions.map((d) => d.purpose)).to.deep.equal(['application-processing']);

    await gate('fr', 'release');
    await until(
      () => [box, optout, ...panels].every((host) => !host.hasAttribute('data-locale-pending')),
      'the French table',
    );
    const fr = (await loadLocale('fr')) as WidgetStrings;
    expect(shownText(box)).to.equal(format(fr.optOutLabel, { purpose: 'Infolettre' }));
    expect(shadowText(optout, '[part="status"]')).to.equal(format(fr.optOutStateIn, { purpose: 'Infolettre' }));
    expect(shownText(optout)).to.contain(format(fr.optOutAction, { purpose: 'Infolettre' }));
    expect(focusable(box)).to.have.length(1);
    for (const panel of panels)
      expect(shownText(panel), panel.localName).to.equal(
        texts(panel)
          .map((t) => t.textContent?.trim())
          .join(' '),
      );
    expect(shownText(panels[0] as Element)).to.contain(fr.preferencesTitle);
    await expectAccessible(page);
  });

  it('shows English at once when the table fails to load', async () => {
    await gate('it', 'fail');
    const form = await fixture<HTMLFormElement>(FRENCH_FORM.replace('lang="fr"', 'lang="it"'));
    const box = form.querySelector('consent-checkbox') as ConsentCheckbox;
    const started = performance.now();
    expect(shownText(box), 'hidden until the load has failed').to.equal('');
    await until(() => !box.hasAttribute('data-locale-pending'), 'English after the failure', 2000);
    expect(performance.now() - started).to.be.lessThan(2000);
    expect(shownText(box)).to.equal(format(en.optOutLabel, { purpose: 'Newsletter' }));
    expect(focusable(box)).to.have.length(1);
    await expectAccessible(form);
  });

  it('renders nothing again when the bound passes after the table has landed', async () => {
    const started = performance.now();
    const form = await fixture<HTMLFormElement>(FRENCH_FORM.replace('lang="fr"', 'lang="de"'));
    const box = form.querySelector('consent-checkbox') as ConsentCheckbox;
    await until(() => !box.hasAttribute('data-locale-pending'), 'the German table');
    expect(performance.now() - started, 'landed within the bound').to.be.lessThan(LOAD_BOUND_MS);
    let renders = 0;
    const stop = subscribeConfig(() => renders++);
    await new Promise((resolve) => setTimeout(resolve, LOAD_BOUND_MS + 300 - (performance.now() - started)));
    stop();
    expect(renders, 'elements told to render again by the passing bound').to.equal(0);
  });

  it('shows English after its bound (3 s) when the table is slow, and the language when it lands', async () => {
    await gate('es', 'hold');
    const form = await fixture<HTMLFormElement>(FRENCH_FORM.replace('lang="fr"', 'lang="es"'));
    const box = form.querySelector('consent-checkbox') as ConsentCheckbox;
    const started = performance.now();
    expect(shownText(box)).to.equal('');
    await until(() => shownText(box) || undefined, 'English after the bound', 6000);
    expect(performance.now() - started).to.be.greaterThan(2500);
    expect(shownText(box)).to.equal(format(en.optOutLabel, { purpose: 'Newsletter' }));
    await gate('es', 'release');
    await until(() => shownText(box).includes('Boletín'), 'the Spanish table');
    await expectAccessible(form);
  });
});
