/**
 * The attestor against the real ledger over real HTTP (R16): a browser's express grant is pending
 * until the site's backend attests it, then granted. msw only injects faults (network errors,
 * 5xx, 429 + Retry-After) in front of that same ledger.
 */
import { isPermitted } from '@consentkit/core';
import { createPerson } from '@consentkit/test-support/people';
import {
  createLedgerKit,
  issueApiKey,
  type LedgerKit,
  type LedgerPerson,
  type ServedApp,
  serveOverHttp,
} from '@consentkit/test-support/server';
import { expect } from 'chai';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { type AttestorOptions, createAttestor } from './attestor.js';

const SHARE = { purpose: 'partner-sharing', granted: true, basis: 'express', interaction: 'pointer' } as const;
const DECLINE = { purpose: 'partner-sharing', granted: false, basis: 'express', interaction: 'pointer' } as const;

let kit: LedgerKit;
let served: ServedApp;
let attestKey: string;
let readKey: string;
let person: LedgerPerson;

/** Fast backoff: the tests wait on outcomes, never on the clock. */
const attestor = (options: Partial<AttestorOptions> = {}) =>
  createAttestor({ ledgerUrl: served.url, apiKey: attestKey, retry: { baseMs: 5, maxMs: 20 }, ...options });

/** A grant typed into the form for `person`, posted by a browser (keyless): `device` assurance. */
async function typedGrant(
  decisions: readonly (typeof SHARE | typeof DECLINE)[] = [SHARE],
  who: LedgerPerson = person,
): Promise<string> {
  const typed = await createPerson({ policy: kit.policy, email: who.email });
  const signed = await typed.sign({ decisions: [...decisions] });
  const response = await kit.post([{ jws: signed.jws, opening: signed.opening }]);
  expect(response.status).to.equal(200);
  return signed.record.id;
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string; name: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; message: string; name: string };
  }
  throw new Error('expected a failure');
}

describe('createAttestor (POST /v1/attestations, the real ledger)', () => {
  before(async () => {
    kit = await createLedgerKit();
    served = await serveOverHttp((request) => kit.app.fetch(request));
    attestKey = await issueApiKey(kit.store, 'attest', 'website');
    readKey = await issueApiKey(kit.store, 'read', 'reports');
    person = await kit.person();
  });
  after(async () => {
    await served.close();
    await kit.close();
  });

  it('turns a pending express grant from a browser into granted, with a site-level entry naming it', async () => {
    const recordId = await typedGrant();
    expect((await person.state())['partner-sharing']).to.include({ status: 'pending', recordId });
    expect(isPermitted(await person.state(), 'partner-sharing')).to.equal(false);

    const made = await attestor().attest(recordId, { identifierVerified: true });
    expect(made.attests).to.equal(recordId);
    expect(made.recordId).to.not.equal(recordId);
    expect(made.seq).to.be.a('number');
    expect(made.receipt).to.be.a('string');

    expect((await person.state())['partner-sharing']).to.include({ status: 'granted', recordId });
    expect(isPermitted(await person.state(), 'partner-sharing')).to.equal(true);
    const rows = await kit.store.query<{ assurance: string }>(
      'SELECT assurance FROM ledger_entries WHERE record_id = $1',
      [made.recordId],
    );
    expect(rows.map((r) => r.assurance)).to.deep.equal(['site']);
    expect((await kit.verify()).ok).to.equal(true);
  });

  it('waits for a record that is still on its way (the form can arrive before its record)', async () => {
    const typed = await createPerson({ policy: kit.policy, email: person.email });
    const signed = await typed.sign({ decisions: [SHARE] });
    let asked = 0;
    const pending = attestor({
      fetch: (input, init) => {
        asked++;
        return fetch(input, init);
      },
    }).attest(signed.record.id);
    // The ledger answers 404 until the browser's record arrives.
    while (asked < 2) await new Promise((wake) => setTimeout(wake, 5));
    await kit.post([{ jws: signed.jws, opening: signed.opening }]);
    expect((await pending).attests).to.equal(signed.record.id);
    expect(isPermitted(await person.state(), 'partner-sharing')).to.equal(true);
  });

  it('says what was wrong: the key, its scope, the id, a record with nothing to vouch for, one never received', async () => {
    const recordId = await typedGrant();
    expect(await failure(attestor({ apiKey: 'ck_not-a-key' }).attest(recordId))).to.include({
      name: 'ConsentError',
      code: 'unauthorized',
    });
    const forbidden = await failure(attestor({ apiKey: readKey }).attest(recordId));
    expect(forbidden.code).to.equal('forbidden');
    expect(forbidden.message).to.match(/^\[consentkit\] .*scope "attest".*docs\/errors\.md#forbidden$/);

    let asked = 0;
    const counting = attestor({
      fetch: (input, init) => {
        asked++;
        return fetch(input, init);
      },
    });
    const notAnId = await failure(counting.attest('12345'));
    expect(notAnId.code).to.equal('invalid-options');
    expect(notAnId.message).to.include('"12345" is not a consent record id');
    expect(asked, 'refused before asking the ledger').to.equal(0);

    const declined = await typedGrant([DECLINE]);
    const nothing = await failure(counting.attest(declined));
    expect(nothing.code).to.equal('invalid-options');
    expect(nothing.message).to.include('grants nothing');

    const never = await failure(attestor({ recordWaitMs: 0 }).attest('01900000-0000-7000-8000-000000000000'));
    expect(never.code).to.equal('not-found');
    expect(never.message).to.include('never received that record');
  });

  it('refuses options it cannot use, at once', () => {
    expect(() => createAttestor({ ledgerUrl: 'consent.example.com', apiKey: 'k' })).to.throw(/absolute URL/);
    expect(() => createAttestor({ ledgerUrl: 'https://consent.example.com', apiKey: ' ' })).to.throw(/scope "attest"/);
  });

  describe('under injected faults (msw in front of the real ledger)', () => {
    const faults = setupServer();
    before(() => faults.listen({ onUnhandledFrame: 'bypass' }));
    afterEach(() => faults.resetHandlers());
    after(() => faults.close());

    // msw leaves loopback alone, so the attestor talks to a name msw answers for: the injected
    // faults first, then every request forwarded, unchanged, to the real ledger.
    const FAULTY = 'http://ledger.faults.test';
    const viaFaults = (options: Partial<AttestorOptions> = {}) => attestor({ ledgerUrl: FAULTY, ...options });

    /** Answers the first calls with `injected`, in order, then forwards requests to the ledger. */
    function inject(injected: ReadonlyArray<() => Response>): { calls: () => number } {
      let calls = 0;
      faults.use(
        http.post(`${FAULTY}/v1/attestations`, ({ request }) => {
          const next = injected[calls++];
          return next ? next() : fetch(new Request(`${served.url}/v1/attestations`, request));
        }),
      );
      return { calls: () => calls };
    }

    it('retries a network failure, a 503 and a 429 with Retry-After, then attests', async () => {
      const recordId = await typedGrant();
      const seen = inject([
        () => HttpResponse.error(),
        () => new HttpResponse('down', { status: 503 }),
        () => new HttpResponse('slow down', { status: 429, headers: { 'retry-after': '0' } }),
      ]);
      const made = await viaFaults().attest(recordId);
      expect(made.attests).to.equal(recordId);
      expect(seen.calls()).to.equal(4);
      expect(isPermitted(await person.state(), 'partner-sharing')).to.equal(true);
    });

    it('gives up after its retries with transport or rate-limited, and nothing is attested', async () => {
      const someone = await kit.person();
      const recordId = await typedGrant([SHARE], someone);
      const down = inject(Array.from({ length: 10 }, () => () => new HttpResponse('down', { status: 502 })));
      const failed = await failure(viaFaults({ retries: 2 }).attest(recordId));
      expect(failed.code).to.equal('transport');
      expect(down.calls()).to.equal(3);
      faults.resetHandlers();
      inject(Array.from({ length: 10 }, () => () => new HttpResponse('busy', { status: 429 })));
      expect((await failure(viaFaults({ retries: 1 }).attest(recordId))).code).to.equal('rate-limited');
      expect((await someone.state())['partner-sharing']).to.include({ status: 'pending', recordId });
    });

    it('a refusal is final: a 4xx other than 404, 408 and 429 is not retried', async () => {
      const recordId = await typedGrant();
      const seen = inject([() => HttpResponse.json({ code: 'forbidden', detail: 'no' }, { status: 403 })]);
      expect((await failure(viaFaults().attest(recordId))).code).to.equal('forbidden');
      expect(seen.calls()).to.equal(1);
    });
  });
});
