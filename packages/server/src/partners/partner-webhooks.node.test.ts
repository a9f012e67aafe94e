import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CreateRecordInput, Decision, Policy } from '@consentkit/core';
import { createTestSigner, TEST_API_KEY, TEST_MASTER_KEY } from '@consentkit/test-support/keys';
import { testPolicy } from '@consentkit/test-support/policy';
import { postRecords, signedRecord, storeFactories, type TestStore } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { sendGridKit } from '../../test/support/provider-kits.js';
import { createApiKey } from '../access/api-keys.js';
import type { Store } from '../platform/store/store.js';
import type { ProvidersOptions } from '../providers/providers-routes.js';
import { createApp } from '../runtime/app.js';
import { ConfigError, loadConfig } from '../runtime/config.js';
import { createLedgerContext, type LedgerContext } from '../runtime/context.js';
import { deliveryAttempts, listDeliveries, retryDelivery } from './partner-deliveries.js';
import { dispatchPartnerEvents } from './partner-dispatcher.js';
import { PartnerError } from './partner-error.js';
import { startPartnerRunner } from './partner-runner.js';
import { deliverDuePartnerEvents } from './partner-worker.js';
import { deliveriesResponseSchema } from './partners-routes.js';
import { SIGNATURE_HEADER, verifyWebhookSignature } from './webhook-signature.js';

/**
 * Third parties, end to end on both stores: records go in through the real app, the
 * dispatcher and worker run against the real database, and the partner is a real HTTP server on a
 * free port that checks every signature with the verifier partners are told to use.
 */

type Received = { headers: IncomingMessage['headers']; body: string; verified: boolean; reason?: string };

type Partner = {
  url: string;
  received: Received[];
  /** Statuses to answer with, in order; 200 once the script runs out. */
  script: number[];
  secret: string | string[];
  close(): Promise<void>;
};

async function startPartner(): Promise<Partner> {
  const partner: Partner = { url: '', received: [], script: [], secret: 'unset', close: async () => {} };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = req.headers[SIGNATURE_HEADER.toLowerCase()];
      const check = verifyWebhookSignature({
        header: typeof header === 'string' ? header : undefined,
        body,
        secret: partner.secret,
      });
      partner.received.push({
        headers: req.headers,
        body,
        verified: check.ok,
        ...(check.ok ? {} : { reason: check.reason }),
      });
      // A partner refuses what it cannot verify, as the docs tell it to.
      const status = check.ok ? (partner.script.shift() ?? 200) : 401;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(String(status));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  partner.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/consent-webhooks`;
  partner.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return partner;
}

/** The allstream policy plus an unaudited recipient that partner-sharing also names. */
function policyWithUnauditedBroker(brokerAudited: boolean): Policy {
  const base = testPolicy();
  return {
    ...base,
    recipients: [
      ...base.recipients,
      { id: 'data-brokers', name: 'Data brokers', kind: 'partner', audited: brokerAudited },
    ],
    purposes: base.purposes.map((p) =>
      p.id === 'partner-sharing' ? { ...p, recipients: [...p.recipients, 'data-brokers'] } : p,
    ),
  };
}

/** The allstream policy plus an audited processor (a mailing house) that marketing is shared with. */
function policyWithMailHouse(): Policy {
  const base = testPolicy();
  return {
    ...base,
    recipients: [...base.recipients, { id: 'mail-house', name: 'Mailing house', kind: 'processor', audited: true }],
    purposes: base.purposes.map((p) => (p.id === 'marketing' ? { ...p, recipients: ['mail-house'] } : p)),
  };
}

/** CASL implied consent rests on a business relationship (R35); without one marketing is not on. */
const CASL_RELATIONSHIP: Partial<CreateRecordInput> = {
  context: { relationshipStart: new Date().toISOString(), relationship: 'contract' },
};

type Ledger = { context: LedgerContext; app: ReturnType<typeof createApp>; policy: Policy };

async function openLedger(store: Store, policy: Policy, providers: ProvidersOptions = {}): Promise<Ledger> {
  const context = await createLedgerContext({ store, masterKey: TEST_MASTER_KEY, policy });
  const app = createApp({
    context,
    apiKey: TEST_API_KEY,
    publicUrl: 'https://ledger.example',
    hostedPages: { widgetScript: false },
    log: () => {},
    providers,
  });
  return { context, app, policy };
}

const share = (granted: boolean): Decision[] => [
  { purpose: 'application-processing', granted: true, basis: 'implied' },
  { purpose: 'partner-sharing', granted, basis: 'express', interaction: 'pointer' },
];

/** Posts one signed record per step for `email` through POST /v1/records; returns the subject ref. */
async function history(
  ledger: Ledger,
  email: string,
  steps: Decision[][],
  override?: Partial<CreateRecordInput>,
): Promise<string> {
  const signer = await createTestSigner();
  let prev: string | null = null;
  for (const decisions of steps) {
    const signed = await signedRecord({
      signer,
      policy: ledger.policy,
      prev,
      email,
      decisions,
      ...(override ? { override } : {}),
    });
    // The site's backend posts them (site assurance): express grants count at once.
    const response = await postRecords(ledger.app, [{ jws: signed.jws, opening: signed.opening }], {
      authorization: `Bearer ${TEST_API_KEY}`,
    });
    expect(response.status, await response.clone().text()).to.equal(200);
    const body = (await response.json()) as { results: { status: string }[] };
    expect(body.results[0]?.status, JSON.stringify(body)).to.equal('accepted');
    prev = signed.digest;
  }
  const rows = await ledger.context.store.query<{ subject_ref: string }>(
    'SELECT subject_ref FROM ledger_entries WHERE subject_ref IS NOT NULL ORDER BY seq DESC LIMIT 1',
  );
  return rows[0]?.subject_ref ?? '';
}

async function count(store: Store, sql: string): Promise<number> {
  const rows = await store.query<{ n: number }>(sql);
  return Number(rows[0]?.n ?? -1);
}

/**
 * A clock tests move by hand: backoff waits cost nothing. It starts at the real time because the
 * partner checks signatures against its own clock (the ±5 min replay window).
 */
function manualClock(start = Date.now()) {
  let t = start;
  return {
    now: () => new Date(t),
    advance(ms: number) {
      t += ms;
    },
  };
}

const FAST_BACKOFF = { baseMs: 1000, maxMs: 60_000, jitter: 0 };

for (const factory of storeFactories()) {
  describe(`partner webhooks (${factory.name})`, () => {
    let testStore: TestStore;
    let ledger: Ledger;
    let partner: Partner;

    beforeEach(async () => {
      testStore = await factory.create();
      ledger = await openLedger(testStore.store, testPolicy());
      partner = await startPartner();
    });
    afterEach(async () => {
      await partner.close();
      await testStore.close();
    });

    const register = async (id = 'authorized-partners', endpoint = partner.url, policy = ledger.policy) => {
      const { secret } = await ledger.context.partners.add(ledger.context.store, { id, endpoint, policy });
      partner.secret = secret;
      return secret;
    };
    const dispatch = (policy = ledger.policy, now?: () => Date) =>
      dispatchPartnerEvents({
        store: ledger.context.store,
        ledger: ledger.context.ledger,
        registry: ledger.context.partners,
        policy,
        ...(now ? { now } : {}),
      });
    const work = (options: { now?: () => Date; maxAttempts?: number; policy?: Policy } = {}) =>
      deliverDuePartnerEvents({
        store: ledger.context.store,
        registry: ledger.context.partners,
        policy: options.policy ?? ledger.policy,
        backoff: FAST_BACKOFF,
        timeoutMs: 2000,
        ...(options.now ? { now: options.now } : {}),
        ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
      });

    it('a withdrawal of a shared purpose sends exactly one signed webhook, with no identifier in clear (R19, R27)', async () => {
      await register();
      const ref = await history(ledger, 'ada@example.com', [share(true), share(false)]);
      // A refusal of something never granted: the partner never had this person's data, so nothing goes.
      await history(ledger, 'never@example.com', [share(false)]);

      const first = await dispatch();
      expect(first.created).to.equal(1);
      expect(first.cursor).to.equal(3);
      const sent = await work();
      expect(sent).to.deep.equal({ attempted: 1, delivered: 1, failed: 0 });

      expect(partner.received).to.have.length(1);
      const [hit] = partner.received;
      expect(hit?.verified, hit?.reason).to.equal(true);
      expect(hit?.body).not.to.include('ada@example.com');
      expect(hit?.body).not.to.include(ref);
      const event = JSON.parse(hit?.body ?? '{}') as { id: string; type: string; data: Record<string, unknown> };
      expect(event.type).to.equal('consent.withdrawn');
      expect(event.data.partner).to.equal('authorized-partners');
      expect(event.data.purpose).to.equal('partner-sharing');
      expect(event.data.decision).to.equal('withdrawn');
      expect(event.data.subject).to.equal(
        await ledger.context.partners.pseudonymFor(ledger.context.store, 'authorized-partners', ref),
      );
      expect(hit?.headers['consentkit-event-id']).to.equal(event.id);

      const [delivery] = await listDeliveries(ledger.context.store, {});
      expect(delivery).to.include({ status: 'delivered', attempts: 1, lastStatus: 200, lastError: null });
      expect(delivery?.nextAttemptAt).to.equal(null);
      expect(await deliveryAttempts(ledger.context.store, delivery?.id ?? '')).to.have.length(1);

      // Nothing new: another pass sends nothing more.
      expect((await dispatch()).created).to.equal(0);
      expect(await work()).to.deep.equal({ attempted: 0, delivered: 0, failed: 0 });
      expect(partner.received).to.have.length(1);
    });

    it('retries with the backoff kept in the row: 500, 500, then 200 → delivered after 3 logged attempts', async () => {
      await register();
      await history(ledger, 'bo@example.com', [share(true), share(false)]);
      const clock = manualClock();
      await dispatch(ledger.policy, clock.now);
      partner.script = [500, 500];

      expect((await work({ now: clock.now })).delivered).to.equal(0);
      let [row] = await listDeliveries(ledger.context.store, {});
      expect(row).to.include({ status: 'pending', attempts: 1, lastStatus: 500, lastError: 'HTTP 500' });
      expect(Date.parse(row?.nextAttemptAt ?? '')).to.equal(clock.now().getTime() + 1000);

      // Not due yet: nothing is sent.
      expect((await work({ now: clock.now })).attempted).to.equal(0);
      clock.advance(1000);
      await work({ now: clock.now });
      [row] = await listDeliveries(ledger.context.store, {});
      expect(row).to.include({ status: 'pending', attempts: 2 });
      // Doubling: the second wait is 2 s.
      expect(Date.parse(row?.nextAttemptAt ?? '')).to.equal(clock.now().getTime() + 2000);
      clock.advance(2000);
      expect((await work({ now: clock.now })).delivered).to.equal(1);

      [row] = await listDeliveries(ledger.context.store, {});
      expect(row).to.include({ status: 'delivered', attempts: 3, lastStatus: 200 });
      const attempts = await deliveryAttempts(ledger.context.store, row?.id ?? '');
      expect(attempts.map((a) => a.status)).to.deep.equal([500, 500, 200]);
      // Same event every time, so the partner can deduplicate; each attempt freshly signed.
      const ids = new Set(partner.received.map((r) => JSON.parse(r.body).id as string));
      expect(ids.size).to.equal(1);
      expect(partner.received.every((r) => r.verified)).to.equal(true);
    });

    it('a partner that stays down is marked failed after N attempts; retry re-queues it with a fresh budget', async () => {
      await register();
      await history(ledger, 'cy@example.com', [share(true), share(false)]);
      await partner.close(); // nothing listens on the port any more
      const clock = manualClock();
      await dispatch(ledger.policy, clock.now);
      for (let i = 0; i < 3; i++) {
        await work({ now: clock.now, maxAttempts: 3 });
        clock.advance(60_000);
      }
      const failed = await listDeliveries(ledger.context.store, { status: 'failed' });
      expect(failed).to.have.length(1);
      expect(failed[0]).to.include({ attempts: 3, lastStatus: null });
      expect(failed[0]?.lastError).to.match(/fetch failed|ECONNREFUSED/);
      expect(await listDeliveries(ledger.context.store, { status: 'pending' })).to.have.length(0);
      // Failed is final until someone acts: the worker leaves it alone.
      expect((await work({ now: clock.now, maxAttempts: 3 })).attempted).to.equal(0);

      const requeued = await ledger.context.store.transaction((tx) =>
        retryDelivery(tx, failed[0]?.id ?? '', clock.now()),
      );
      expect(requeued).to.include({ status: 'pending', attempts: 3 });
      await work({ now: clock.now, maxAttempts: 3 });
      const [again] = await listDeliveries(ledger.context.store, {});
      expect(again).to.include({ status: 'pending', attempts: 4 }); // budget 3 again, not exhausted at 4
      expect((await deliveryAttempts(ledger.context.store, again?.id ?? '')).map((a) => a.attempt)).to.deep.equal([
        1, 2, 3, 4,
      ]);
    });

    it('a captured webhook replayed later, or altered, is refused by the verifier', async () => {
      await register();
      await history(ledger, 'di@example.com', [share(true), share(false)]);
      await dispatch();
      await work();
      const [hit] = partner.received;
      const header = String(hit?.headers[SIGNATURE_HEADER.toLowerCase()]);
      const body = hit?.body ?? '';
      const t = Number(/t=(\d+)/.exec(header)?.[1]);
      const secret = partner.secret;
      expect(verifyWebhookSignature({ header, body, secret, now: t + 60 }).ok).to.equal(true);
      const replay = verifyWebhookSignature({ header, body, secret, now: t + 301 });
      expect(replay).to.include({ ok: false, reason: 'outside-window' });
      const altered = body.replace('"withdrawn"', '"granted"');
      expect(altered).not.to.equal(body);
      expect(verifyWebhookSignature({ header, body: altered, secret, now: t })).to.include({
        ok: false,
        reason: 'no-match',
      });
      expect(verifyWebhookSignature({ header, body, secret: 'whsec_other', now: t })).to.include({
        ok: false,
        reason: 'no-match',
      });
    });

    it('re-running the dispatcher over the same entries (a crash before the cursor moved) adds no row', async () => {
      await register();
      await history(ledger, 'ed@example.com', [share(true), share(false)]);
      await history(ledger, 'fa@example.com', [share(true), share(false)]);
      expect((await dispatch()).created).to.equal(2);
      // Rewind the cursor as if the process had died before committing it, then run twice at once.
      await ledger.context.store.query('UPDATE partner_dispatch_cursor SET last_seq = 0 WHERE id = 1');
      const again = await Promise.all([dispatch(), dispatch()]);
      expect(again.map((r) => r.created)).to.deep.equal([0, 0]);
      expect(await count(ledger.context.store, 'SELECT count(*) AS n FROM partner_deliveries')).to.equal(2);
      const keys = await ledger.context.store.query<{ n: number }>(
        'SELECT count(DISTINCT (partner_id, record_id, purpose)) AS n FROM partner_deliveries',
      );
      expect(Number(keys[0]?.n)).to.equal(2);
    });

    it('a recipient the policy does not mark audited can neither be registered nor receive anything', async () => {
      const unaudited = policyWithUnauditedBroker(false);
      ledger = await openLedger(testStore.store, unaudited);
      await register('authorized-partners', partner.url, unaudited);
      let refused: unknown;
      try {
        await register('data-brokers', partner.url, unaudited);
      } catch (error) {
        refused = error;
      }
      expect(refused).to.be.instanceOf(PartnerError);
      expect((refused as PartnerError).code).to.equal('not-audited');
      expect((refused as PartnerError).message).to.match(/"data-brokers" is not marked "audited": true/);

      // Registered while the contract was audited; the policy in force now says it is not.
      await ledger.context.partners.add(ledger.context.store, {
        id: 'data-brokers',
        endpoint: partner.url,
        policy: policyWithUnauditedBroker(true),
      });
      await history(ledger, 'gu@example.com', [share(true), share(false)]);
      expect((await dispatch(unaudited)).created).to.equal(1);
      const rows = await listDeliveries(ledger.context.store, {});
      expect(rows.map((r) => r.partner)).to.deep.equal(['authorized-partners']);
    });

    it('a queued delivery is not sent once its recipient stops being audited or is removed', async () => {
      const audited = policyWithUnauditedBroker(true);
      ledger = await openLedger(testStore.store, audited);
      await register('data-brokers', partner.url, audited);
      await history(ledger, 'ha@example.com', [share(true), share(false)]);
      expect((await dispatch(audited)).created).to.equal(1);
      const result = await work({ policy: policyWithUnauditedBroker(false) });
      expect(result).to.deep.equal({ attempted: 0, delivered: 0, failed: 1 });
      expect(partner.received).to.have.length(0);
      const [row] = await listDeliveries(ledger.context.store, {});
      expect(row?.status).to.equal('failed');
      expect(row?.lastError).to.match(/no longer marked audited/);

      // Removed from the registry: same outcome, nothing sent.
      await ledger.context.store.transaction((tx) => retryDelivery(tx, row?.id ?? ''));
      await ledger.context.partners.remove(ledger.context.store, 'data-brokers');
      expect(await work({ policy: audited })).to.deep.equal({ attempted: 0, delivered: 0, failed: 1 });
      expect(partner.received).to.have.length(0);
      // An unknown recipient id cannot be registered at all.
      let unknown: unknown;
      try {
        await register('nobody', partner.url, audited);
      } catch (error) {
        unknown = error;
      }
      expect((unknown as PartnerError).code).to.equal('not-a-recipient');
    });

    it('opting out of a purpose shared with an audited processor sends consent.opted-out, once it was on (R22)', async () => {
      ledger = await openLedger(testStore.store, policyWithMailHouse());
      await register('mail-house');
      const marketing = (granted: boolean): Decision[] => [
        { purpose: 'application-processing', granted: true, basis: 'implied' },
        { purpose: 'marketing', granted, basis: 'opt-out' },
      ];
      // Opted out in the very first record: marketing was never on, the mail house never had the address.
      await history(ledger, 'io@example.com', [marketing(false)], CASL_RELATIONSHIP);
      expect((await dispatch()).created).to.equal(0);
      await history(ledger, 'ju@example.com', [marketing(true), marketing(false)], CASL_RELATIONSHIP);
      expect((await dispatch()).created).to.equal(1);
      await work();
      const event = JSON.parse(partner.received[0]?.body ?? '{}') as { type: string; data: { decision: string } };
      expect(event.type).to.equal('consent.opted-out');
      expect(event.data.decision).to.equal('opted-out');
    });

    it('an opt-out purpose shared with a third party was never on without express consent: nothing to send', async () => {
      // The rules treat third-party sharing as express (PIPEDA 4.3.6, R31/R32), whatever the policy says.
      const base = testPolicy();
      const policy: Policy = {
        ...base,
        purposes: base.purposes.map((p) => (p.id === 'marketing' ? { ...p, recipients: ['authorized-partners'] } : p)),
      };
      ledger = await openLedger(testStore.store, policy);
      await register();
      const marketing = (granted: boolean): Decision[] => [
        { purpose: 'application-processing', granted: true, basis: 'implied' },
        { purpose: 'marketing', granted, basis: 'opt-out' },
      ];
      const ref = await history(ledger, 'ka@example.com', [marketing(true)], CASL_RELATIONSHIP);
      expect((await ledger.context.subjects.state(ref)).marketing?.status).to.equal('needs-consent');
      await history(ledger, 'ka@example.com', [marketing(false)], CASL_RELATIONSHIP);
      expect((await dispatch()).created).to.equal(0);
    });

    it('an RFC 8058 one-click unsubscribe on the hosted page reaches the partner too (R22, R41, R75)', async () => {
      ledger = await openLedger(testStore.store, policyWithMailHouse());
      await register('mail-house');
      const ref = await history(
        ledger,
        'ola@example.com',
        [
          [
            { purpose: 'application-processing', granted: true, basis: 'implied' },
            { purpose: 'marketing', granted: true, basis: 'opt-out' },
          ],
        ],
        CASL_RELATIONSHIP,
      );
      expect((await ledger.context.subjects.state(ref)).marketing?.status).to.equal('granted');
      const links = await ledger.app.request('/v1/links', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_API_KEY}` },
        body: JSON.stringify({ email: 'ola@example.com', purpose: 'marketing' }),
      });
      expect(links.status).to.equal(200);
      const { unsubscribeUrl } = (await links.json()) as { unsubscribeUrl: string };
      const clicked = await ledger.app.request(new URL(unsubscribeUrl).pathname, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }).toString(),
      });
      expect(clicked.status).to.equal(200);

      expect((await dispatch()).created).to.equal(1);
      await work();
      expect(partner.received).to.have.length(1);
      const event = JSON.parse(partner.received[0]?.body ?? '{}') as { type: string; data: Record<string, unknown> };
      expect(event.type).to.equal('consent.opted-out');
      expect(event.data.purpose).to.equal('marketing');
      expect(event.data.subject).to.equal(
        await ledger.context.partners.pseudonymFor(ledger.context.store, 'mail-house', ref),
      );
      // A second click changes nothing and sends nothing more (already opted out).
      await ledger.app.request(new URL(unsubscribeUrl).pathname, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }).toString(),
      });
      expect((await dispatch()).created).to.equal(0);
    });

    it("an email provider's unsubscribe and spam complaint reach the partner as any other opt-out (R22)", async () => {
      const kit = sendGridKit();
      ledger = await openLedger(testStore.store, policyWithMailHouse(), kit.options);
      await register('mail-house');
      const on: Decision[] = [
        { purpose: 'application-processing', granted: true, basis: 'implied' },
        { purpose: 'marketing', granted: true, basis: 'opt-out' },
      ];
      const refs: Record<string, string> = {};
      for (const email of ['pia@example.com', 'quin@example.com', 'ros@example.com']) {
        refs[email] = await history(ledger, email, [on], CASL_RELATIONSHIP);
        expect((await ledger.context.subjects.state(refs[email] ?? '')).marketing?.status).to.equal('granted');
      }
      // One Event Webhook post, as SendGrid batches them: an unsubscribe, a spam report, a bounce.
      const request = await kit.request([
        { kind: 'unsubscribe', email: 'pia@example.com' },
        { kind: 'complaint', email: 'quin@example.com' },
        { kind: 'bounce', email: 'ros@example.com' },
      ]);
      const response = await ledger.app.request(request.path, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
      });
      expect(response.status, await response.clone().text()).to.equal(200);

      // The bounce is not a consent event: two opt-outs, two events, nothing for the third person.
      expect((await dispatch()).created).to.equal(2);
      await work();
      expect(partner.received).to.have.length(2);
      const events = partner.received.map((r) => {
        expect(r.verified, r.reason).to.equal(true);
        return JSON.parse(r.body) as { type: string; data: { purpose: string; subject: string; decision: string } };
      });
      const pseudonyms = await Promise.all(
        ['pia@example.com', 'quin@example.com'].map((email) =>
          ledger.context.partners.pseudonymFor(ledger.context.store, 'mail-house', refs[email] ?? ''),
        ),
      );
      expect(events.map((e) => e.data.subject).sort()).to.deep.equal([...pseudonyms].sort());
      for (const event of events) {
        expect(event.type).to.equal('consent.opted-out');
        expect(event.data.purpose).to.equal('marketing');
        expect(event.data.decision).to.equal('opted-out');
        // No identifier in clear reaches the partner, whichever route the opt-out took.
        for (const email of Object.keys(refs)) expect(JSON.stringify(event)).not.to.include(email);
      }
      // The provider's retry of the same post records nothing new and sends nothing more.
      await ledger.app.request(request.path, { method: 'POST', headers: request.headers, body: request.body });
      expect((await dispatch()).created).to.equal(0);
    });

    it('secrets are sealed at rest; a rotation signs with both secrets through its grace period', async () => {
      const oldSecret = await register();
      const raw = JSON.stringify(await ledger.context.store.query('SELECT * FROM partners'));
      expect(raw).not.to.include(oldSecret);
      expect(raw).not.to.include(oldSecret.slice(6));

      const rotated = await ledger.context.partners.rotateSecret(ledger.context.store, 'authorized-partners', {
        graceSeconds: 3600,
      });
      expect(rotated.secret).not.to.equal(oldSecret);
      expect(rotated.partner.previousSecretUntil).to.be.a('string');
      await history(ledger, 'jo@example.com', [share(true), share(false)]);
      await dispatch();
      partner.secret = oldSecret; // a partner that has not switched yet still verifies
      await work();
      expect(partner.received[0]?.verified).to.equal(true);
      const header = String(partner.received[0]?.headers[SIGNATURE_HEADER.toLowerCase()]);
      expect(header.match(/v1=/g)).to.have.length(2);
      const body = partner.received[0]?.body ?? '';
      expect(verifyWebhookSignature({ header, body, secret: rotated.secret }).ok).to.equal(true);

      // Grace 0: the old secret stops signing at once.
      const hard = await ledger.context.partners.rotateSecret(ledger.context.store, 'authorized-partners', {
        graceSeconds: 0,
      });
      const creds = await ledger.context.partners.credentials(ledger.context.store, 'authorized-partners');
      expect(creds?.secrets).to.deep.equal([hard.secret]);
    });

    it('endpoints must be https (http only to loopback) and carry no credentials', async () => {
      const add = (endpoint: string) =>
        ledger.context.partners.add(ledger.context.store, {
          id: 'authorized-partners',
          endpoint,
          policy: ledger.policy,
        });
      for (const bad of [
        'http://partner.example/hook',
        'ftp://partner.example',
        'not a url',
        'https://u:p@partner.example',
      ]) {
        let error: unknown;
        try {
          await add(bad);
        } catch (e) {
          error = e;
        }
        expect((error as PartnerError).code, bad).to.equal('invalid-endpoint');
      }
      expect((await add('https://partner.example/hook')).partner.endpoint).to.equal('https://partner.example/hook');
    });

    it('GET /v1/partners/deliveries answers admins in the dashboard shape, with 4xx for bad input', async () => {
      await register();
      await history(ledger, 'ka@example.com', [share(true), share(false)]);
      await dispatch();
      partner.script = [503];
      await work();
      const auth = { authorization: `Bearer ${TEST_API_KEY}` };
      const ok = await ledger.app.request('/v1/partners/deliveries?status=pending&limit=10', { headers: auth });
      expect(ok.status).to.equal(200);
      const body = (await ok.json()) as { deliveries: Record<string, unknown>[] };
      expect(body.deliveries).to.have.length(1);
      expect(Object.keys(body.deliveries[0] ?? {}).sort()).to.deep.equal(
        [
          'id',
          'partner',
          'eventType',
          'recordId',
          'purpose',
          'status',
          'attempts',
          'lastStatus',
          'lastError',
          'nextAttemptAt',
          'createdAt',
          'updatedAt',
        ].sort(),
      );
      expect(body.deliveries[0]).to.include({ status: 'pending', lastStatus: 503, attempts: 1 });
      // The shape the dashboard's PartnerDeliveries type is inferred from.
      expect(deliveriesResponseSchema.safeParse(body).success).to.equal(true);
      const failed = await ledger.app.request('/v1/partners/deliveries?status=failed', { headers: auth });
      expect(((await failed.json()) as { deliveries: unknown[] }).deliveries).to.have.length(0);

      const bad = await ledger.app.request('/v1/partners/deliveries?status=lost', { headers: auth });
      expect(bad.status).to.equal(400);
      expect(await bad.text()).to.include('status must be pending, delivered or failed');
      const badLimit = await ledger.app.request('/v1/partners/deliveries?limit=0', { headers: auth });
      expect(badLimit.status).to.equal(400);
      expect((await ledger.app.request('/v1/partners/deliveries')).status).to.equal(401);
      const reader = await createApiKey(ledger.context.store, { name: 'reader', scope: 'read' });
      const forbidden = await ledger.app.request('/v1/partners/deliveries', {
        headers: { authorization: `Bearer ${reader.key}` },
      });
      expect(forbidden.status).to.equal(403);

      // The list never carries a secret.
      const partners = await ledger.app.request('/v1/partners', { headers: auth });
      expect(await partners.text()).not.to.include('whsec_');

      // Retry through the API: 409 while pending, 404 unknown, 400 not a UUID.
      const id = String(body.deliveries[0]?.id);
      const conflict = await ledger.app.request(`/v1/partners/deliveries/${id}/retry`, {
        method: 'POST',
        headers: auth,
      });
      expect(conflict.status).to.equal(409);
      const missing = await ledger.app.request('/v1/partners/deliveries/00000000-0000-4000-8000-000000000000/retry', {
        method: 'POST',
        headers: auth,
      });
      expect(missing.status).to.equal(404);
      const notUuid = await ledger.app.request('/v1/partners/deliveries/x/retry', { method: 'POST', headers: auth });
      expect(notUuid.status).to.equal(400);
    });

    it('the runner ticks on its interval without overlap, logs a failing tick, and stops cleanly', async () => {
      await register();
      await history(ledger, 'lu@example.com', [share(true), share(false)]);
      const lines: string[] = [];
      const runner = startPartnerRunner({
        store: ledger.context.store,
        ledger: ledger.context.ledger,
        registry: ledger.context.partners,
        policy: ledger.policy,
        intervalMs: 20,
        worker: { backoff: FAST_BACKOFF },
        log: (line) => lines.push(line),
      });
      const deadline = Date.now() + 10_000;
      while (partner.received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(partner.received).to.have.length(1);
      // Two explicit ticks at once share one pass.
      const [a, b] = [runner.tick(), runner.tick()];
      expect(a).to.equal(b);
      await a;
      // A broken store table: the tick logs and resolves, it does not throw.
      await ledger.context.store.query('ALTER TABLE partner_dispatch_cursor RENAME TO partner_dispatch_cursor_gone');
      // The first tick may join an interval pass that began before the rename; the second is a
      // pass that began after it, whoever started it.
      expect(await runner.tick()).to.equal(undefined);
      expect(await runner.tick()).to.equal(undefined);
      expect(lines.join('\n')).to.match(/\[consentkit\] partner webhooks: .*partner_dispatch_cursor/);
      await runner.stop();
      await ledger.context.store.query('ALTER TABLE partner_dispatch_cursor_gone RENAME TO partner_dispatch_cursor');
      expect(partner.received).to.have.length(1);
    });
  });
}

describe('partner webhook configuration', () => {
  it('reads CONSENTKIT_PARTNER_WEBHOOKS_INTERVAL as off or a duration, and refuses anything else', () => {
    const load = (value: string) =>
      loadConfig({ env: { CONSENTKIT_PARTNER_WEBHOOKS_INTERVAL: value }, argv: [], cwd: '/tmp' });
    expect(load('off').partnerWebhooksInterval).to.equal('off');
    expect(load('250ms').partnerWebhooksInterval).to.equal(250);
    expect(load('10s').partnerWebhooksInterval).to.equal(10_000);
    expect(loadConfig({ env: {}, argv: [], cwd: '/tmp' }).partnerWebhooksInterval).to.equal(10_000);
    for (const bad of ['fast', '5', '10ms', '2h']) {
      expect(() => load(bad), bad).to.throw(ConfigError, /CONSENTKIT_PARTNER_WEBHOOKS_INTERVAL/);
    }
  });
});
