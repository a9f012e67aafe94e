import { cleanup, fixture } from '@consentkit/test-support/browser';
import { testPolicy } from '@consentkit/test-support/policy';
import { expect } from 'chai';
import { getConfig, resetConfig } from '../config.js';
import { ConsentConfig } from './consent-config.js';

ConsentConfig.define();

describe('<consent-config>', () => {
  afterEach(() => {
    cleanup();
    resetConfig();
  });

  it('configures the page from attributes and loads the policy URL', async () => {
    const url = URL.createObjectURL(new Blob([JSON.stringify(testPolicy())], { type: 'application/json' }));
    try {
      await fixture(
        `<consent-config endpoint="https://ledger.example" policy="${url}" lang="fr-CA" jurisdiction="DE"></consent-config>`,
      );
      const config = getConfig();
      expect(config.endpoint).to.equal('https://ledger.example');
      expect(config.locale).to.equal('fr-CA');
      expect(config.jurisdiction).to.equal('DE');
      const start = Date.now();
      while (!getConfig().policy && Date.now() - start < 3000) await new Promise((r) => setTimeout(r, 20));
      expect(getConfig().policy?.id).to.equal('allstream');
    } finally {
      URL.revokeObjectURL(url);
    }
  });

  it('treats endpoint="/" as this origin and turns on Consent Mode from consent-mode', async () => {
    const url = URL.createObjectURL(new Blob([JSON.stringify(testPolicy())], { type: 'application/json' }));
    try {
      await fixture(`<consent-config endpoint="/" policy="${url}" consent-mode></consent-config>`);
      expect(getConfig().endpoint).to.equal(location.origin);
      expect(getConfig().consentMode).to.equal(true);
    } finally {
      URL.revokeObjectURL(url);
    }
  });

  it('unwraps a ledger policy response ({ digest, policy })', async () => {
    const body = JSON.stringify({ digest: 'x', policy: testPolicy() });
    const url = URL.createObjectURL(new Blob([body], { type: 'application/json' }));
    try {
      await fixture(`<consent-config policy="${url}"></consent-config>`);
      const start = Date.now();
      while (!getConfig().policy && Date.now() - start < 3000) await new Promise((r) => setTimeout(r, 20));
      expect(getConfig().policy?.purposes.map((p) => p.id)).to.include('marketing');
    } finally {
      URL.revokeObjectURL(url);
    }
  });

  it('renders nothing', async () => {
    const el = await fixture<ConsentConfig>('<consent-config></consent-config>');
    expect(el.hidden).to.equal(true);
    expect(el.shadowRoot).to.equal(null);
  });
});
