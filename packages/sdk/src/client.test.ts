/**
 * The client end to end against the in-process memory ledger (a real backend that verifies
 * signatures with core). Runs in Node, Chromium and Firefox.
 */
import {
  type ConsentRecord,
  createKeySigner,
  decodeJws,
  generateSigningKeyPair,
  recordDigest,
  sha256Hex,
  utf8Decode,
  verifyCommitment,
} from '@consentkit/core';
import { allstreamPolicy } from '@consentkit/test-support/policy';
import { expect } from 'chai';
import type { ConsentBackend, SendOptions } from './backend.js';
import { createMemoryBackend } from './backends/memory/memory-backend.js';
import type { ConsentClientOptions } from './client/client-types.js';
import { createConsentClient } from './client.js';
import type { ConsentEvent } from './events.js';
import { createMemoryOutboxStore } from './outbox/memory-store.js';

async function makeSigner() {
  const pair = await generateSigningKeyPair({ algorithm: 'ES256' });
  return createKeySigner({ privateKey: pair.privateKey, publicJwk: pair.publicJwk });
}

function setup(overrides: Partial<ConsentClientOptions> = {}) {
  const backend = createMemoryBackend();
  const events: ConsentEvent[] = [];
  const client = createConsentClient({
    policy: allstreamPolicy,
    backend,
    outbox: createMemoryOutboxStore(),
    signer: makeSigner(),
    gpc: false,
    pageLifecycle: false,
    locale: 'en-CA',
    ...overrides,
  });
  client.subscribe((e) => events.push(e));
  return { client, backend, events };
}

describe('createConsentClient', () => {
  it('captures a signed record that carries what DESIGN.md lists and gets a receipt (R17, R26)', async () => {
    const { client, backend } = setup({ jurisdiction: 'CA' });
    const result = await client.capture({
      decisions: [{ purpose: 'partner-sharing', granted: true, wording: 'Measure how I use the site' }],
      method: 'checkbox',
      interaction: 'pointer',
      collectionPoint: { form: 'signup', element: 'analytics-box' },
    });
    expect(result.status).to.equal('delivered');
    const [stored] = backend.entries();
    if (!stored || result.status !== 'delivered') throw new Error('not delivered');
    expect(result.receipt).to.equal(stored.receipt);
    const record = stored.record;
    expect(record.policy).to.deep.equal({ id: 'allstream', version: '1.1', digest: record.policy.digest });
    expect(record.policy.digest).to.match(/^[0-9a-f]{64}$/);
    expect(record.decisions[0]).to.deep.include({ purpose: 'partner-sharing', granted: true, basis: 'express' });
    expect(record.decisions[0]?.wording).to.deep.equal({
      sha256: await sha256Hex('Measure how I use the site'),
      text: 'Measure how I use the site',
    });
    expect(record).to.include({
      method: 'checkbox',
      interaction: 'pointer',
      locale: 'en-CA',
      jurisdiction: 'CA',
      gpc: false,
    });
    expect(record.collectionPoint).to.include({ form: 'signup', element: 'analytics-box' });
    expect(record.subject).to.deep.equal({ kind: 'device' });
    expect(record.prev).to.equal(null);
    await client.close();
  });

  it('links each record to the previous one signed by the same key', async () => {
    const { client, backend } = setup();
    await client.grant({ purposes: ['partner-sharing'], interaction: 'pointer' });
    await client.optOut({ purposes: ['marketing'], interaction: 'pointer' });
    const [first, second] = backend.entries();
    expect(second?.record.prev).to.equal(await recordDigest(first?.record as ConsentRecord));
    await client.close();
  });

  it('hashes the policy label when no wording is given (the text stays in the policy version)', async () => {
    const { client, backend } = setup();
    await client.optOut({ purposes: ['marketing'], method: 'checkbox', interaction: 'keyboard' });
    const wording = backend.entries()[0]?.record.decisions[0]?.wording;
    expect(wording).to.deep.equal({ sha256: await sha256Hex('Do not send me marketing emails') });
    await client.close();
  });

  it('sends an identifier only as a salted commitment, with the opening beside the record', async () => {
    const { client, backend } = setup();
    await client.capture({
      decisions: [{ purpose: 'marketing', granted: true }],
      method: 'form-submit',
      interaction: 'pointer',
      identifier: '  Ada@Example.com ',
    });
    const [stored] = backend.entries();
    if (!stored?.opening) throw new Error('no opening');
    // What was signed, decoded (the JWS itself is base64url: a search of its text finds nothing of
    // the address, and a random signature spells "ada" now and then), in any letter case.
    const decoded = decodeJws(stored.jws);
    const signed = `${JSON.stringify(decoded.header)}${utf8Decode(decoded.payload)}`.toLowerCase();
    expect(signed).not.to.contain('ada@');
    expect(signed).not.to.contain('example.com');
    expect(stored.record.subject.kind).to.equal('commitment');
    const commitment = (stored.record.subject as { commitment: string }).commitment;
    expect(await verifyCommitment({ commitment, opening: stored.opening })).to.equal(true);
    await client.close();
  });

  it('answers state() from core rules, and emits state events', async () => {
    const { client, events } = setup();
    expect((await client.state())['partner-sharing']?.status).to.equal('needs-consent');
    await client.grant({ purposes: ['partner-sharing'], interaction: 'pointer' });
    expect((await client.state())['partner-sharing']).to.include({ status: 'granted', reason: 'express-granted' });
    await client.withdraw({ purposes: ['partner-sharing'], interaction: 'pointer' });
    expect((await client.state())['partner-sharing']?.status).to.equal('denied');
    await client.optOut({ purposes: ['marketing'], interaction: 'pointer' });
    expect((await client.state()).marketing).to.include({ status: 'denied', reason: 'opted-out' });
    expect(events.filter((e) => e.type === 'state').length).to.be.at.least(4);
    await client.close();
  });

  it('refuses to record GDPR consent from an opt-out box or a pre-ticked box (R37)', async () => {
    const { client, backend } = setup({ jurisdiction: 'DE' });
    let caught: unknown;
    try {
      await client.capture({
        decisions: [{ purpose: 'partner-sharing', granted: true, preChecked: true }],
        method: 'checkbox',
        interaction: 'pointer',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).to.include({ name: 'ConsentError', code: 'rule-violation' });
    expect(backend.entries()).to.have.length(0);
    await client.close();
  });

  it('GPC: one opt-out record per device and subject, method gpc (R48–R50)', async () => {
    const outbox = createMemoryOutboxStore();
    const signer = makeSigner();
    const { client, backend } = setup({ gpc: true, outbox, signer });
    await client.ready;
    expect(client.gpcSignal).to.equal(true);
    expect(client.gpcHonored).to.equal(true);
    await client.flush();
    const gpcRecords = () => backend.entries().filter((e) => e.record.method === 'gpc');
    expect(gpcRecords()).to.have.length(1);
    expect(gpcRecords()[0]?.record).to.deep.include({ gpc: true, interaction: 'none' });
    expect(gpcRecords()[0]?.record.decisions).to.deep.equal([
      { purpose: 'partner-sharing', granted: false, basis: 'express', legalBasis: 'consent' },
    ]);
    expect((await client.state())['partner-sharing']?.status).to.equal('denied');
    // a known person gets their own GPC opt-out, once
    await client.capture({
      decisions: [{ purpose: 'marketing', granted: true }],
      method: 'form-submit',
      identifier: 'ada@example.com',
    });
    await client.capture({
      decisions: [{ purpose: 'marketing', granted: true }],
      method: 'form-submit',
      identifier: 'ada@example.com',
    });
    expect(gpcRecords()).to.have.length(2);
    expect(gpcRecords()[1]?.record.subject.kind).to.equal('commitment');
    await client.close();

    // the next page load with the same device state does not record it again
    const again = setup({ gpc: true, outbox, signer, backend });
    await again.client.ready;
    await again.client.flush();
    expect(gpcRecords()).to.have.length(2);
    expect(again.client.gpcHonored).to.equal(true);
    await again.client.close();
  });

  it('resolves pending when the backend is down, and delivers on flush once it is back', async () => {
    let down = true;
    const memory = createMemoryBackend();
    const flaky: ConsentBackend = {
      name: 'flaky',
      async send(options: SendOptions) {
        if (down) throw new Error('offline');
        return memory.send(options);
      },
    };
    const { client, events } = setup({ backend: flaky, retry: { baseMs: 60_000 } });
    const result = await client.grant({ purposes: ['partner-sharing'], interaction: 'pointer' });
    expect(result.status).to.equal('pending');
    expect(client.pending()).to.deep.equal([result.recordId]);
    expect(events.find((e) => e.type === 'pending')).to.include({ recordId: result.recordId, code: 'transport' });
    down = false;
    await client.flush();
    expect(client.pending()).to.deep.equal([]);
    expect(events.find((e) => e.type === 'delivered')).to.include({ recordId: result.recordId });
    expect(memory.entries().map((e) => e.id)).to.deep.equal([result.recordId]);
    await client.close();
  });

  it('hands out the record id once it is queued, before a hanging delivery ends (onRecorded)', async () => {
    let release = undefined as (() => void) | undefined;
    const memory = createMemoryBackend();
    const hanging: ConsentBackend = {
      name: 'hanging',
      async send(options: SendOptions) {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return memory.send(options);
      },
    };
    const { client } = setup({ backend: hanging });
    let recorded: string | undefined;
    const capture = client.grant({
      purposes: ['partner-sharing'],
      interaction: 'pointer',
      onRecorded: (id) => {
        recorded = id;
      },
    });
    for (let i = 0; i < 200 && recorded === undefined; i++) await new Promise((r) => setTimeout(r, 5));
    expect(recorded, 'onRecorded ran while the send still hangs').to.be.a('string');
    expect(client.pending()).to.deep.equal([recorded]);
    // The delivery starts once the browser is idle, after the record id was handed out.
    for (let i = 0; i < 400 && release === undefined; i++) await new Promise((r) => setTimeout(r, 5));
    release?.();
    const result = await capture;
    expect(result).to.include({ status: 'delivered', recordId: recorded });
    await client.close();
  });

  it('reports a permanent refusal as an error event and drops the record', async () => {
    const refusing: ConsentBackend = {
      name: 'refusing',
      async send({ records }) {
        return records.map((r) => ({
          id: r.id,
          status: 'rejected',
          code: 'policy-mismatch',
          reason: 'old policy',
          retryable: false,
        }));
      },
    };
    const { client, events } = setup({ backend: refusing });
    const result = await client.grant({ purposes: ['partner-sharing'], interaction: 'pointer' });
    expect(result).to.deep.equal({
      status: 'rejected',
      recordId: result.recordId,
      code: 'policy-mismatch',
      reason: 'old policy',
    });
    expect(events.filter((e) => e.type === 'error')).to.deep.equal([
      { type: 'error', code: 'policy-mismatch', reason: 'old policy', recordId: result.recordId },
    ]);
    expect(client.pending()).to.deep.equal([]);
    await client.close();
  });

  it('keeps delivering when a listener throws', async () => {
    const { client, backend } = setup();
    const saved = (globalThis as { reportError?: unknown }).reportError;
    const reported: unknown[] = [];
    (globalThis as { reportError?: unknown }).reportError = (e: unknown) => reported.push(e);
    try {
      client.subscribe(() => {
        throw new Error('host bug');
      });
      const result = await client.grant({ purposes: ['partner-sharing'], interaction: 'pointer' });
      expect(result.status).to.equal('delivered');
      expect(backend.entries()).to.have.length(1);
      expect(reported.length).to.be.greaterThan(0);
    } finally {
      (globalThis as { reportError?: unknown }).reportError = saved;
    }
    await client.close();
  });

  it('loads the policy from the backend when none is given', async () => {
    const client = createConsentClient({
      backend: createMemoryBackend({ policy: allstreamPolicy }),
      outbox: createMemoryOutboxStore(),
      signer: makeSigner(),
      pageLifecycle: false,
    });
    await client.ready;
    expect(Object.keys(await client.state())).to.include('partner-sharing');
    await client.close();
  });
});
