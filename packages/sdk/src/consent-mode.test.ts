import { CONSENT_MODE_TYPES, type ConsentState, type PurposeState } from '@consentkit/core';
import { testPolicy } from '@consentkit/test-support/policy';
import { expect } from 'chai';
import { createMemoryBackend } from './backends/memory/memory-backend.js';
import { createConsentClient } from './client.js';
import { createConsentModeBridge, mapConsentMode } from './consent-mode.js';
import { createMemoryOutboxStore } from './outbox/memory-store.js';

const purposeState = (purpose: string, status: PurposeState['status']): PurposeState => ({
  purpose,
  status,
  reason: status === 'granted' ? 'express-granted' : 'refused',
  basis: 'express',
  legalBasis: 'consent',
});
const stateOf = (entries: Record<string, PurposeState['status']>): ConsentState =>
  Object.fromEntries(Object.entries(entries).map(([id, status]) => [id, purposeState(id, status)]));

type Call = [string, string, Record<string, unknown>];

/**
 * AllStream, plus what Consent Mode needs to show every mapping: an express analytics purpose
 * (analytics_storage), and partner sharing that also covers ad_storage.
 */
const policy = testPolicy({
  purposes: { 'partner-sharing': { consentMode: ['ad_storage', 'ad_user_data', 'ad_personalization'] } },
  addPurposes: [
    {
      id: 'analytics',
      title: { en: 'Site analytics', fr: 'Statistiques du site' },
      description: { en: 'Measuring how the site is used.', fr: 'Mesurer l’utilisation du site.' },
      label: { en: 'Measure how I use the site', fr: 'Mesurer mon utilisation du site' },
      basis: 'express',
      legalBasis: 'consent',
      primary: false,
      sensitive: false,
      recipients: [],
      dataCategories: ['contact-information'],
      retention: 'P1Y',
      consentMode: ['analytics_storage'],
    },
  ],
});

describe('Google Consent Mode v2 bridge', () => {
  it('issues default first, with all seven types (R51, R52)', () => {
    const calls: Call[] = [];
    createConsentModeBridge({ gtag: (...args) => calls.push(args), waitForUpdate: 500, region: ['US-CA'] });
    expect(calls).to.have.length(1);
    const [command, action, settings] = calls[0] as Call;
    expect([command, action]).to.deep.equal(['consent', 'default']);
    for (const type of CONSENT_MODE_TYPES) expect(settings).to.have.property(type);
    expect(settings.security_storage).to.equal('granted'); // strictly necessary (R54)
    expect(settings.ad_storage).to.equal('denied');
    expect(settings.wait_for_update).to.equal(500);
    expect(settings.region).to.deep.equal(['US-CA']);
  });

  it('maps purposes to types from the policy and updates only on change (R53, R54)', () => {
    const calls: Call[] = [];
    const bridge = createConsentModeBridge({ gtag: (...args) => calls.push(args) });
    const state = stateOf({ analytics: 'granted', 'partner-sharing': 'denied' });
    bridge.update({ policy, state, gpc: null });
    bridge.update({ policy, state, gpc: null });
    expect(calls.map((c) => c[1])).to.deep.equal(['default', 'update']);
    expect(calls[1]?.[2]).to.include({ analytics_storage: 'granted', ad_storage: 'denied', ad_user_data: 'denied' });
    bridge.update({ policy, state: stateOf({ analytics: 'granted', 'partner-sharing': 'granted' }), gpc: null });
    expect(calls).to.have.length(3);
    expect(calls[2]?.[2]).to.include({ ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted' });
  });

  it('GPC forces ad_user_data and ad_personalization to denied (R50, R54)', () => {
    const settings = mapConsentMode({
      policy,
      state: stateOf({ analytics: 'granted', 'partner-sharing': 'granted' }),
      gpc: true,
    });
    expect(settings).to.include({ ad_storage: 'granted', ad_user_data: 'denied', ad_personalization: 'denied' });
  });

  it('falls back to a dataLayer shim that pushes gtag arguments', () => {
    const scope = globalThis as { dataLayer?: unknown[]; gtag?: unknown };
    const saved = { dataLayer: scope.dataLayer, gtag: scope.gtag };
    delete scope.gtag;
    scope.dataLayer = [];
    try {
      createConsentModeBridge();
      const [first] = scope.dataLayer as ArrayLike<unknown>[];
      expect(Array.from(first as ArrayLike<unknown>).slice(0, 2)).to.deep.equal(['consent', 'default']);
    } finally {
      if (saved.dataLayer === undefined) delete scope.dataLayer;
      else scope.dataLayer = saved.dataLayer;
      if (saved.gtag !== undefined) scope.gtag = saved.gtag;
    }
  });

  it('through the client: default before anything else, then update from state on every change', async () => {
    const calls: Call[] = [];
    const client = createConsentClient({
      policy,
      backend: createMemoryBackend(),
      outbox: createMemoryOutboxStore(),
      gpc: true,
      pageLifecycle: false,
      consentMode: { gtag: (...args) => calls.push(args) },
    });
    // synchronous: issued before createConsentClient returned, ahead of any tag command (R52)
    expect(calls.map((c) => c[1])).to.deep.equal(['default']);
    await client.ready;
    expect(calls.map((c) => c[1])).to.deep.equal(['default', 'update']);
    expect(calls[1]?.[2]).to.include({ analytics_storage: 'denied', ad_user_data: 'denied' });
    await client.grant({ purposes: ['analytics', 'partner-sharing'], method: 'checkbox', interaction: 'pointer' });
    const last = calls.at(-1)?.[2];
    expect(last).to.include({ analytics_storage: 'granted', security_storage: 'granted' });
    // GPC keeps ad_user_data / ad_personalization denied whatever the state says (R50, R54)
    expect(last).to.include({ ad_user_data: 'denied', ad_personalization: 'denied' });
    await client.close();
  });
});
