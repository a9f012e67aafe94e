import { TEST_API_KEY } from '@consentkit/test-support/keys';
import { describeEachStore, type StoreSuite } from '@consentkit/test-support/server';
import { expect } from 'chai';
import {
  type KitEvent,
  type KitRequest,
  mailgunKit,
  type ProviderKit,
  postmarkKit,
  SES_TOPIC,
  sendGridKit,
  sesKit,
} from '../../test/support/provider-kits.js';
import { decodeRecord } from '../ledger/records-of.js';

// Each provider's webhook against the real server on both stores: payloads shaped as the provider
// documents them, authenticated with test keys made the provider's way. Forged, tampered, stale
// and replayed requests are refused or ignored and store nothing.

/** Row counts of every table an event could touch: "stores nothing" means none of them moves. */
async function counts(s: StoreSuite) {
  const [row] = await s.t.context.store.query<Record<string, number>>(
    `SELECT (SELECT count(*)::int FROM ledger_entries) AS entries, (SELECT count(*)::int FROM subjects) AS subjects,
            (SELECT count(*)::int FROM provider_events) AS events`,
  );
  return row;
}

const send = (s: StoreSuite, request: KitRequest) =>
  s.t.app.request(request.path, { method: 'POST', headers: request.headers, body: request.body });

async function marketingOf(s: StoreSuite, email: string) {
  const response = await s.t.app.request('/v1/senders/state', {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ subjects: [email], purposes: ['marketing'] }),
  });
  const body = (await response.json()) as { answers: { known: boolean; state: { marketing: { status: string } } }[] };
  return body.answers[0];
}

function providerSuite(kit: ProviderKit) {
  describeEachStore(
    `POST /v1/providers/${kit.name}`,
    (s) => {
      let n = 0;
      const person = async () => {
        const email = `${kit.name}-${s.store}-${++n}@example.test`;
        await s.t.enrol(email);
        return email;
      };

      it('turns an unsubscribe into a ledger-signed opt-out (method email-provider) of every optional purpose', async () => {
        const email = await person();
        expect((await marketingOf(s, email))?.state.marketing.status).to.equal('granted');
        const response = await send(s, await kit.request([{ kind: 'unsubscribe', email }]));
        expect(response.status, await response.clone().text()).to.equal(200);
        expect(((await response.json()) as { recorded: number }).recorded).to.equal(1);
        expect((await marketingOf(s, email))?.state.marketing.status).to.equal('denied');
        const [last] = await s.t.context.store.query<{ jws: string; kid: string; assurance: string }>(
          'SELECT jws, kid, assurance FROM ledger_entries ORDER BY seq DESC LIMIT 1',
        );
        const record = decodeRecord(last?.jws ?? '');
        expect(record.method).to.equal('email-provider');
        // An authenticated system vouched (the provider's own check), not the person through a link
        // the ledger mailed: `site`, not `inbox`; the opt-out counts at every level.
        expect(last?.assurance).to.equal('site');
        const [event] = await s.t.context.store.query<{ record_id: string }>(
          "SELECT record_id FROM provider_events WHERE outcome = 'recorded' ORDER BY received_at DESC LIMIT 1",
        );
        expect(event?.record_id, 'the event row names the opt-out it made').to.equal(record.id);
        expect(last?.kid).to.equal(s.t.context.keyring.signer.kid);
        expect(record.decisions.every((d) => d.granted === false)).to.equal(true);
        expect(record.decisions.map((d) => d.purpose)).to.include('marketing');
        expect((await s.t.verify()).ok).to.equal(true);
      });

      it('records complaints (and group unsubscribes where the provider has them) the same way', async () => {
        const kinds: KitEvent['kind'][] =
          kit.name === 'sendgrid' || kit.name === 'ses' ? ['complaint', 'group'] : ['complaint'];
        for (const kind of kinds) {
          const email = await person();
          const response = await send(s, await kit.request([{ kind, email }]));
          expect(response.status, kind).to.equal(200);
          expect((await marketingOf(s, email))?.state.marketing.status, kind).to.equal('denied');
        }
      });

      it('a replayed event changes nothing and stores nothing', async () => {
        const email = await person();
        const request = await kit.request([{ kind: 'unsubscribe', email }]);
        expect((await send(s, request)).status).to.equal(200);
        const before = await counts(s);
        const again = await send(s, request);
        expect(again.status).to.equal(200);
        expect(((await again.json()) as { replayed: number }).replayed).to.equal(1);
        expect(await counts(s)).to.deep.equal(before);
      });

      it('refuses a forged or tampered request with a 401 and stores nothing', async () => {
        const email = await person();
        let before = await counts(s);
        const forged = await send(s, await kit.forge([{ kind: 'unsubscribe', email }]));
        expect(forged.status).to.equal(401);
        expect(((await forged.json()) as { code: string; detail: string }).detail).to.match(/not authentic/);
        const genuine = await kit.request([{ kind: 'unsubscribe', email: 'someone-else@example.test' }]);
        const tampered = { ...genuine, body: genuine.body.replaceAll('someone-else@example.test', email) };
        if (kit.name === 'mailgun') {
          // Mailgun signs the timestamp and a one-time token, not the body: once the genuine request
          // is in, its signature carries nothing else.
          expect((await send(s, genuine)).status).to.equal(200);
          before = await counts(s);
          // Another event (its own id and recipient) under the genuine request's signature.
          const other = JSON.parse(genuine.body) as { 'event-data': { id: string; recipient: string } };
          other['event-data'].id = 'a-forged-event-id';
          other['event-data'].recipient = email;
          const replayedToken = await send(s, { ...genuine, body: JSON.stringify(other) });
          expect(replayedToken.status).to.equal(401);
          expect(((await replayedToken.json()) as { detail: string }).detail).to.include('token was used before');
        }
        // Postmark signs nothing: its credential is the request's, so an altered body is not detectable.
        if (kit.name !== 'postmark' && kit.name !== 'mailgun') expect((await send(s, tampered)).status).to.equal(401);
        const unauthenticated = { ...genuine, headers: { 'content-type': 'application/json' } };
        if (kit.name === 'sendgrid' || kit.name === 'postmark') {
          expect((await send(s, unauthenticated)).status).to.equal(401);
        }
        expect(await counts(s)).to.deep.equal(before);
        expect((await marketingOf(s, email))?.state.marketing.status).to.equal('granted');
      });

      if (kit.signsTime) {
        it('refuses a stale signed timestamp (a replay after the window) with a 401 and stores nothing', async () => {
          const email = await person();
          const before = await counts(s);
          const old = await send(
            s,
            await kit.request([{ kind: 'unsubscribe', email }], new Date(Date.now() - 3 * 3600_000)),
          );
          expect(old.status).to.equal(401);
          expect(((await old.json()) as { detail: string }).detail).to.include('replay');
          expect(await counts(s)).to.deep.equal(before);
        });
      }

      it('ignores a bounce with a counted reason: no ledger record', async () => {
        const email = await person();
        const before = await counts(s);
        const response = await send(s, await kit.request([{ kind: 'bounce', email }]));
        expect(response.status).to.equal(200);
        const body = (await response.json()) as { ignored: number; reasons: Record<string, number> };
        expect(body.ignored).to.equal(1);
        expect(Object.keys(body.reasons)[0]).to.match(/not a consent event/);
        const after = await counts(s);
        expect(after?.entries).to.equal(before?.entries);
        expect((await marketingOf(s, email))?.state.marketing.status).to.equal('granted');
      });

      it('keeps an unknown address (by blind index only) with its opt-out, without refusing it', async () => {
        const email = `never-seen-${kit.name}-${s.store}@example.test`;
        expect((await marketingOf(s, email))?.known).to.equal(false);
        const response = await send(s, await kit.request([{ kind: 'unsubscribe', email }]));
        expect(response.status).to.equal(200);
        expect(((await response.json()) as Record<string, number>)['new-subject']).to.equal(1);
        const later = await marketingOf(s, email);
        expect(later?.known).to.equal(true);
        expect(later?.state.marketing.status).to.equal('denied');
        const dump = JSON.stringify(await s.t.context.store.query('SELECT * FROM provider_events'));
        expect(dump).to.not.include('@example.test');
      });

      if (kit.batch) {
        it('takes a batch of mixed events in one request, each counted once', async () => {
          const a = await person();
          const b = await person();
          const response = await send(
            s,
            await kit.request([
              { kind: 'unsubscribe', email: a },
              { kind: 'bounce', email: b },
              { kind: 'complaint', email: b },
            ]),
          );
          const body = (await response.json()) as { recorded: number; ignored: number };
          expect([body.recorded, body.ignored]).to.deep.equal([2, 1]);
        });
      }

      it('refuses a body that is not this provider’s payload with a 400 (when authentic) or 401', async () => {
        const genuine = await kit.request([{ kind: 'unsubscribe', email: 'x@example.test' }]);
        const response = await send(s, { ...genuine, body: '{"not":"a webhook"' });
        expect([400, 401]).to.include(response.status);
        expect(response.headers.get('content-type')).to.equal('application/problem+json');
      });
    },
    { providers: { ...kit.options } },
  );
}

providerSuite(sendGridKit());
providerSuite(mailgunKit());
providerSuite(postmarkKit());
providerSuite(sesKit('2'));

const v1 = sesKit('1');
describeEachStore(
  'POST /v1/providers/ses: the SNS envelope',
  (s) => {
    const kit = v1;
    it('SignatureVersion 1 (SHA1) verifies too', async () => {
      const email = 'sns-v1@example.test';
      await s.t.enrol(email);
      const response = await send(s, await kit.request([{ kind: 'complaint', email }]));
      expect(response.status).to.equal(200);
    });
    it('refuses a SigningCertURL off the SNS hosts without fetching it, and a topic not configured', async () => {
      const before = kit.fetched.length;
      for (const url of [
        'https://evil.example/SimpleNotificationService-1.pem',
        'http://sns.us-east-1.amazonaws.com/SimpleNotificationService-1.pem',
        'https://sns.us-east-1.amazonaws.com.evil.example/x.pem',
        'https://sns.us-east-1.amazonaws.com:8443/x.pem',
        'https://sns.us-east-1.amazonaws.com/x.txt',
      ]) {
        const response = await send(s, await kit.withCertUrl([{ kind: 'complaint', email: 'a@example.test' }], url));
        expect(response.status, url).to.equal(401);
      }
      expect(kit.fetched.length).to.equal(before);
      const other = await kit.request([{ kind: 'complaint', email: 'a@example.test' }]);
      const response = await send(s, { ...other, body: other.body.replace(SES_TOPIC, `${SES_TOPIC}-other`) });
      expect(response.status).to.equal(401);
    });
    it('confirms its subscription by visiting the SNS SubscribeURL once the confirmation verifies', async () => {
      const response = await send(s, await kit.confirmation());
      expect(response.status).to.equal(200);
      expect(((await response.json()) as { confirmed: boolean }).confirmed).to.equal(true);
      expect(
        kit.fetched.some((u) => u.startsWith('https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription')),
      ).to.equal(true);
    });
  },
  { providers: v1.options },
);
