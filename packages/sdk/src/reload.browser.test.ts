/**
 * The reload case (R64): records one client instance could not deliver are in IndexedDB and the
 * next instance on the same origin delivers them, each exactly once and in chain order.
 * The first instance's ledger is unreachable for real (a closed local port).
 */
import { type ConsentRecord, recordDigest } from '@consentkit/core';
import { allstreamPolicy } from '@consentkit/test-support/policy';
import { expect } from 'chai';
import { createHttpBackend } from './backends/http/http-backend.js';
import { createMemoryBackend } from './backends/memory/memory-backend.js';
import { createConsentClient } from './client.js';
import { createIndexedDbOutboxStore } from './outbox/indexeddb-store.js';
import { createDeviceSigner } from './signers/device-signer.js';

describe('reload (browser, IndexedDB)', () => {
  it('a new client delivers what the previous page left, exactly once, chain intact', async () => {
    const name = `consentkit-reload-${crypto.randomUUID()}`;
    const pageOne = createConsentClient({
      policy: allstreamPolicy,
      backend: createHttpBackend({ url: 'http://127.0.0.1:9' }),
      outbox: createIndexedDbOutboxStore({ name }),
      signer: createDeviceSigner({ databaseName: `${name}-keys` }),
      gpc: false,
      retry: { baseMs: 600_000 },
    });
    const a = await pageOne.grant({ purposes: ['partner-sharing'], method: 'checkbox', interaction: 'pointer' });
    const b = await pageOne.optOut({ purposes: ['marketing'], method: 'checkbox', interaction: 'pointer' });
    expect([a.status, b.status]).to.deep.equal(['pending', 'pending']);
    await pageOne.close();

    const ledger = createMemoryBackend();
    const pageTwo = createConsentClient({
      policy: allstreamPolicy,
      backend: ledger,
      outbox: createIndexedDbOutboxStore({ name }),
      signer: createDeviceSigner({ databaseName: `${name}-keys` }),
      gpc: false,
    });
    await pageTwo.flush();
    expect(pageTwo.pending()).to.deep.equal([]);
    // state survives the reload too: the opt-out is remembered locally
    expect((await pageTwo.state()).marketing?.status).to.equal('denied');
    const c = await pageTwo.grant({
      purposes: ['application-processing'],
      method: 'form-submit',
      interaction: 'pointer',
    });
    expect(c.status).to.equal('delivered');

    const entries = ledger.entries();
    expect(entries.map((e) => e.id)).to.deep.equal([a.recordId, b.recordId, c.recordId]);
    expect(new Set(entries.map((e) => e.kid)).size).to.equal(1);
    expect(entries[1]?.record.prev).to.equal(await recordDigest(entries[0]?.record as ConsentRecord));
    expect(entries[2]?.record.prev).to.equal(await recordDigest(entries[1]?.record as ConsentRecord));
    await pageTwo.close();
    const left = createIndexedDbOutboxStore({ name });
    expect(await left.list()).to.deep.equal([]);
    await left.close?.();
  });
});
