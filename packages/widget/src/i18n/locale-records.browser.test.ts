/**
 * A record names the language of the words the person was shown, and its wording hash is of
 * exactly those words as rendered (R17): in each element, in Japanese and Arabic, and when the
 * policy has no translation into the page's language (its own words then, and its language).
 */
import { sha256Hex } from '@consentkit/core';
import { fixture, realClick, until } from '@consentkit/test-support/browser';
import { expect } from 'chai';
import { useMemoryClient } from '../../test/support/memory-client.js';
import { translatedPolicy } from '../../test/support/translated-policy.js';
import { ConsentCheckbox } from '../consent-checkbox/consent-checkbox.js';
import { ConsentOptOut } from '../consent-optout/consent-optout.js';
import { ConsentPreferences } from '../consent-preferences/consent-preferences.js';
import { loadLocale } from './locale-tables.js';

ConsentCheckbox.define();
ConsentOptOut.define();
ConsentPreferences.define();

/** The words a person sees beside a box: its label part, as rendered, whitespace-normalised. */
function shownLabel(box: Element): string {
  const label = box.shadowRoot?.querySelector('[part="label"]') as HTMLElement;
  return (label.textContent ?? '').replace(/\s+/g, ' ').trim();
}

async function submitForm(markup: string, tick: string[]): Promise<HTMLFormElement> {
  const form = await fixture<HTMLFormElement>(markup);
  form.addEventListener('submit', (e) => e.preventDefault());
  for (const purpose of tick) {
    const box = form.querySelector(`consent-checkbox[purpose="${purpose}"]`) as ConsentCheckbox;
    await realClick(box.shadowRoot?.querySelector('input') as HTMLInputElement);
    await until(() => box.checked, `${purpose} ticked`);
  }
  const captured = new Promise((resolve) => form.addEventListener('consent-captured', resolve, { once: true }));
  form.requestSubmit();
  await captured;
  return form;
}

function boxes(form: HTMLFormElement): Record<string, ConsentCheckbox> {
  return Object.fromEntries(
    Array.from(form.querySelectorAll<ConsentCheckbox>('consent-checkbox'), (box) => [box.purpose, box]),
  );
}

const FORM = (lang: string, dir = 'ltr') =>
  `<form lang="${lang}" dir="${dir}" data-consent-purpose="application-processing">
    <consent-checkbox name="news" purpose="newsletter"></consent-checkbox>
    <consent-checkbox name="surveys" purpose="surveys"></consent-checkbox>
    <button>OK</button>
  </form>`;

describe('records in the language shown', () => {
  describe('a policy translated into the page language', () => {
    const memory = useMemoryClient(() => translatedPolicy());

    for (const [locale, dir, expressWords] of [
      ['ja', 'ltr', 'お客様アンケートに同意します。'],
      ['ar', 'rtl', 'نعم، أوافق على: استطلاعات العملاء.'],
    ] as const) {
      it(`${locale}: the record says ${locale}, and each hash is of the label as rendered`, async () => {
        await loadLocale(locale);
        const form = await submitForm(FORM(locale, dir), ['surveys']);
        const shown = boxes(form);
        expect(shownLabel(shown.surveys as Element)).to.equal(expressWords);
        const record = memory().backend.entries()[0]?.record;
        expect(record?.locale).to.equal(locale);
        const decisions = Object.fromEntries((record?.decisions ?? []).map((d) => [d.purpose, d]));
        expect(decisions.surveys).to.include({ granted: true, basis: 'express' });
        for (const purpose of ['newsletter', 'surveys']) {
          const rendered = shownLabel(shown[purpose] as Element);
          expect(decisions[purpose]?.wording?.sha256, purpose).to.equal(await sha256Hex(rendered));
        }
      });
    }

    it('he: <consent-optout> records Hebrew and the hash of its button as rendered', async () => {
      await loadLocale('he');
      const host = await fixture<ConsentOptOut>(
        '<consent-optout lang="he" dir="rtl" purpose="newsletter"></consent-optout>',
      );
      const button = host.shadowRoot?.querySelector('button') as HTMLButtonElement;
      const rendered = (button.textContent ?? '').replace(/\s+/g, ' ').trim();
      expect(rendered).to.equal('הסרה מ: ניוזלטר');
      await realClick(button);
      const record = await until(() => memory().backend.entries()[0]?.record, 'the record');
      expect(record.locale).to.equal('he');
      expect(record.decisions[0]?.wording?.sha256).to.equal(await sha256Hex(rendered));
    });

    it('ko: <consent-preferences> records Korean, its title and description as shown', async () => {
      await loadLocale('ko');
      const host = await fixture<ConsentPreferences>(
        '<consent-preferences lang="ko" purposes="newsletter surveys"></consent-preferences>',
      );
      const root = await until(() => host.shadowRoot?.querySelector('input') && host.shadowRoot, 'the toggles');
      // The summary counts the toggles that are on, in Korean (one plural form: other).
      const summaryAgrees = async () => {
        await host.updateComplete;
        const on = Array.from(root.querySelectorAll('input')).filter((input) => input.checked).length;
        expect(root.querySelector('[part="summary"]')?.textContent).to.equal(`설정 ${on}개 켜짐`);
      };
      await summaryAgrees();
      const row = root.querySelector('.purpose') as HTMLElement;
      const toggle = row.querySelector('input') as HTMLInputElement;
      const shown = `${row.querySelector('label')?.textContent}. ${row.querySelector('.description')?.textContent}`;
      await realClick(toggle);
      const record = await until(() => memory().backend.entries()[0]?.record, 'the record');
      expect(record.locale).to.equal('ko');
      expect(record.decisions[0]).to.include({ purpose: 'newsletter', granted: toggle.checked });
      expect(record.decisions[0]?.wording?.sha256).to.equal(await sha256Hex(shown));
      await summaryAgrees();
    });
  });

  describe('a policy without a translation into the page language', () => {
    // English and German only, German first: the controller wrote it in German.
    const memory = useMemoryClient(() => ({ ...translatedPolicy(['de']), defaultLocale: 'de' }));

    it("keeps the policy's German words on a Japanese page, and the record says de", async () => {
      await loadLocale('ja');
      await loadLocale('de');
      const form = await submitForm(FORM('ja'), []);
      const shown = boxes(form);
      // The whole sentence is German: the interface follows the policy's words, never a mix.
      expect(shownLabel(shown.surveys as Element)).to.equal('Ja, ich willige ein: Kundenumfragen.');
      const record = memory().backend.entries()[0]?.record;
      expect(record?.locale).to.equal('de');
      for (const purpose of ['newsletter', 'surveys']) {
        const decision = record?.decisions.find((d) => d.purpose === purpose);
        expect(decision?.wording?.sha256, purpose).to.equal(await sha256Hex(shownLabel(shown[purpose] as Element)));
      }
      // The interface around the words stays Japanese (the withdrawal hint is not in the hash).
      expect(shown.surveys?.shadowRoot?.querySelector('[part="hint"]')?.textContent).to.equal(
        '同意はいつでも撤回できます。',
      );
    });

    it("shows a language we have no strings for the policy's own words, and records de", async () => {
      const form = await submitForm(FORM('tlh'), []);
      const shown = boxes(form);
      expect(shownLabel(shown.newsletter as Element)).to.equal('Meine Daten nicht verwenden für: Newsletter.');
      expect(memory().backend.entries()[0]?.record.locale).to.equal('de');
    });

    it("records the page's language for the page's own label, whatever the policy has", async () => {
      const form = await submitForm(
        `<form lang="ja"><consent-checkbox name="news" purpose="newsletter">ニュースレターを送らないでください</consent-checkbox><button>OK</button></form>`,
        [],
      );
      expect(boxes(form).newsletter?.wording).to.equal('ニュースレターを送らないでください');
      expect(memory().backend.entries()[0]?.record.locale).to.equal('ja');
    });
  });
});
