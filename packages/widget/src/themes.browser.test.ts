/**
 * axe (WCAG 2.2 AA) over every element in each documented theme: the default, a dark theme set
 * only through the documented CSS custom properties, and a right-to-left French page (E8).
 */

import { cleanup, expectAccessible, fixture } from '@consentkit/test-support/browser';
import { testPolicy } from '@consentkit/test-support/policy';
import { expect } from 'chai';
import { configure, resetConfig } from './config.js';
import { ConsentCheckbox } from './consent-checkbox/consent-checkbox.js';
import { ConsentNotice } from './consent-notice/consent-notice.js';
import { ConsentOptOut } from './consent-optout/consent-optout.js';
import { ConsentPreferences } from './consent-preferences/consent-preferences.js';

ConsentCheckbox.define();
ConsentOptOut.define();
ConsentNotice.define();
ConsentPreferences.define();

const PAGE = `<form>
    <consent-checkbox name="credit" purpose="credit-check" required></consent-checkbox>
    <consent-checkbox name="no-mkt" purpose="marketing"></consent-checkbox>
  </form>
  <consent-optout purpose="marketing"></consent-optout>
  <consent-notice></consent-notice>
  <consent-preferences></consent-preferences>`;

const DARK = `.dark {
  background: #121212; color: #f2f2f2;
  --consent-accent-color: #8ab4f8; --consent-focus-ring-color: #ffd54f;
  --consent-border-color: #9e9e9e; --consent-button-color: #f2f2f2; --consent-button-border-color: #f2f2f2;
}`;

describe('themes', () => {
  let sheet: CSSStyleSheet;

  before(() => {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(DARK);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  });
  after(() => {
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
  });
  beforeEach(() => configure({ policy: testPolicy() }));
  afterEach(() => {
    cleanup();
    resetConfig();
  });

  for (const [name, open] of [
    ['default', '<div>'],
    ['dark (custom properties only)', '<div class="dark">'],
    ['French, right to left', '<div dir="rtl" lang="fr">'],
  ] as const) {
    it(`every element passes axe in the ${name} theme (E8)`, async () => {
      const page = await fixture(`${open}${PAGE}</div>`);
      expect(
        page.querySelectorAll('consent-checkbox, consent-optout, consent-notice, consent-preferences'),
      ).to.have.length(5);
      await expectAccessible(page);
    });
  }
});
