// SQL injection through every parameter, and the admin API's key check, on the real app and a
// real PGlite database. Injection strings go through the subject ref, the
// query, tokens, ?lang=, API-key headers, openings and signed record fields: reads leave every
// table byte-identical, writes store the strings verbatim as data, no table disappears, and the
// ledger verifies. Admin/read endpoints refuse missing and wrong keys with 401.
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { fuzzRuns } from '@consentkit/test-support/fuzz';
import { TEST_API_KEY } from '@consentkit/test-support/keys';
import {
  createLedgerKit,
  expectProblem,
  type LedgerKit,
  type LedgerPerson,
  READ_AUDIT_TABLES,
} from '@consentkit/test-support/server';
import { expect } from 'chai';
import fc from 'fast-check';
import { createApiKey, revokeApiKey } from '../../src/access/api-keys.js';
import type { IngestResult } from '../../src/ingest/ingest.js';
import { createApp } from '../../src/runtime/app.js';

const INJECTIONS = [
  "' OR '1'='1",
  "' OR 1=1 --",
  "'; DROP TABLE ledger_entries; --",
  "'); DELETE FROM subjects; --",
  '1; TRUNCATE openings CASCADE',
  "' UNION SELECT kid, sealed, 1, 1, 1, 1, 1, 1, 1, 1 FROM keys --",
  '" OR ""="',
  '$1',
  '$$; DROP TABLE keys; $$',
  "\\'; DROP TABLE checkpoints; --",
  "E'\\x27'",
  '%27%20OR%201%3D1--',
  "admin'--",
  "'||(SELECT pg_sleep(5))||'",
  "x' AND (SELECT COUNT(*) FROM keys) > 0 AND 'a'='a",
  '\u0000',
];

type Results = { results: IngestResult[] };
const auth = { authorization: `Bearer ${TEST_API_KEY}` };

describe('security: SQL injection and API keys (PGlite, real app)', () => {
  let kit: LedgerKit;
  let alice: LedgerPerson;

  before(async () => {
    kit = await createLedgerKit({ onDisk: true, checkpointEvery: 5 });
    alice = await kit.person('alice@example.test');
  });
  after(async () => {
    expect(kit.logged, 'unexpected errors logged by the app').to.deep.equal([]);
    await kit.close();
  });

  describe('SQL injection', () => {
    it('through the subject ref, query parameters, tokens, ?lang= and key headers: no 5xx, no row changes', {
      timeout: Math.max(300_000, fuzzRuns({ node: 60 }) * 150),
    }, async () => {
      // Authorised reads are audited by design; every other table must stay byte-identical.
      const baseline = await kit.snapshot({ ignore: READ_AUDIT_TABLES });
      const strings = fc.oneof(fc.constantFrom(...INJECTIONS), fc.string({ maxLength: 30 }));
      await fc.assert(
        fc.asyncProperty(strings, async (text) => {
          const e = encodeURIComponent(text);
          const requests: Array<[string, RequestInit]> = [
            [`/v1/subjects/${e}/state`, { headers: auth }],
            [`/v1/subjects/${e}/records`, { headers: auth }],
            [`/v1/subjects/${e}%40example.test/state`, { headers: auth }],
            [`/v1/subjects/${alice.ref}/state?jurisdiction=${e}&gpc=${e}`, { headers: auth }],
            [`/v1/subjects/${alice.ref}/records?${e}=${e}`, { headers: auth }],
            [`/u/${e}?lang=${e}`, {}],
            [`/p/${e}?lang=${e}`, {}],
            [`/v1/policy?${e}=1`, { headers: { 'if-none-match': text.replace(/[^\x20-\x7e]/g, '') } }],
            [`/v1/subjects/${alice.ref}/state`, { headers: { 'x-api-key': text.replace(/[^\x20-\x7e]/g, '') } }],
          ];
          for (const [path, init] of requests) {
            const response = await kit.request(path, init);
            expect(response.status, `${path}`).to.be.below(500);
          }
        }),
        { numRuns: fuzzRuns({ node: 60 }) },
      );
      expect(await kit.snapshot({ ignore: READ_AUDIT_TABLES })).to.deep.equal(baseline);
    });

    it('through one-click and preference posts with a valid token: the form fields are data', async () => {
      const bob = await kit.person();
      const baseline = await kit.snapshot();
      for (const text of INJECTIONS) {
        const body = new URLSearchParams({
          'List-Unsubscribe': text,
          purpose: text,
          granted: text,
          csrf: text,
          via: text,
        });
        for (const path of [`/u/${await bob.token('unsubscribe:marketing')}`, `/p/${await bob.token('preferences')}`]) {
          const response = await kit.request(path, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: body.toString(),
          });
          // A bad one-click body is a 400; a bad preference form fails its CSRF check (403).
          expect(response.status, `${path} ${text}`).to.be.oneOf([400, 403]);
        }
      }
      expect(await kit.snapshot()).to.deep.equal(baseline);
    });

    it('through signed record fields and openings: stored verbatim, tables intact, the ledger verifies', async () => {
      const tablesBefore = Object.keys((await kit.snapshot()).tables);
      const signer = await kit.signer();
      let prev: string | null = null;
      const stored: Array<{ id: string; text: string }> = [];
      for (const [i, text] of INJECTIONS.filter((t) => t !== '\u0000' && t.trim() !== '').entries()) {
        const policyPurpose = kit.policy.purposes.find((p) => !p.primary)?.id ?? 'marketing';
        const r = await kit.signed(signer, {
          // An address with the payload in its local part (quotes dropped: not valid in an address).
          email: `inj${i}.${text.replace(/[^A-Za-z0-9.!#$%&*+/=?^_{|}~-]/g, '')}@example.test`,
          prev,
          collectionPoint: {
            url: `https://allstream.example/apply?q=${encodeURIComponent(text)}`,
            form: text,
            element: text,
            flow: text,
          },
          context: { saleRef: text },
          decisions: [
            {
              purpose: policyPurpose,
              granted: true,
              basis: 'opt-out',
              wording: { sha256: createHash('sha256').update(text).digest('hex'), text },
            },
          ],
        });
        const response = await kit.post([{ jws: r.jws, opening: r.opening }]);
        const [result] = ((await response.json()) as Results).results;
        expect(result?.status, `${text}: ${JSON.stringify(result)}`).to.equal('accepted');
        stored.push({ id: r.id, text });
        prev = r.digest;
      }
      // Openings whose fields are injection strings: refused as a commitment mismatch or a bad request.
      const junk = await kit.signed(signer, { email: 'junk@example.test', prev });
      for (const text of INJECTIONS) {
        const response = await kit.post([
          { jws: junk.jws, opening: { salt: text, identifier: `${text}@x.test`, kind: 'email' } },
        ]);
        expect(response.status, text).to.be.below(500);
        if (response.status === 200) {
          const [result] = ((await response.json()) as Results).results;
          expect(result?.status, text).to.equal('rejected');
        }
      }
      // Every table is still there, and each record reads back with its strings exactly as signed.
      expect(Object.keys((await kit.snapshot()).tables)).to.deep.equal(tablesBefore);
      for (const { id, text } of stored) {
        const rows = await kit.store.query<{ jws: string }>('SELECT jws FROM ledger_entries WHERE record_id = $1', [
          id,
        ]);
        expect(rows, id).to.have.length(1);
        const payload = JSON.parse(Buffer.from(rows[0]?.jws.split('.')[1] ?? '', 'base64url').toString('utf8'));
        expect(payload.collectionPoint.form).to.equal(text);
        expect(payload.context.saleRef).to.equal(text);
      }
      const verification = await kit.verify();
      expect(verification.ok, JSON.stringify(verification)).to.equal(true);
    });
  });

  describe('data at rest', () => {
    it('keeps no email address in clear in any table, the read audit trail included', async () => {
      // A lookup by address first: the audit trail must name the subject ref, not the address.
      const found = await kit.request(`/v1/subjects/${encodeURIComponent(alice.email)}/state`, { headers: auth });
      expect(found.status).to.equal(200);
      const names = await kit.store.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
      );
      let rows = 0;
      for (const { table_name: name } of names) {
        const all = await kit.store.query(`SELECT * FROM "${name.replaceAll('"', '""')}"`);
        rows += all.length;
        // Text columns only hold what we wrote: JSON of the rows is enough to search them.
        const text = JSON.stringify(all).toLowerCase();
        expect(text, `table ${name}`).to.not.include(alice.email);
        expect(text, `table ${name}`).to.not.include('@example.test');
      }
      // People are on file (found by address above), so the search had something to miss.
      expect(rows).to.be.greaterThan(0);
    });
  });

  describe('API keys', () => {
    const wrong: Record<string, Record<string, string>> = {
      missing: {},
      'wrong bearer': { authorization: 'Bearer not-the-key-0123456789abcdef' },
      'wrong X-API-Key': { 'x-api-key': 'not-the-key-0123456789abcdef' },
      'empty bearer': { authorization: 'Bearer ' },
      'prefix of the key': { authorization: `Bearer ${TEST_API_KEY.slice(0, -1)}` },
      'key plus a character': { authorization: `Bearer ${TEST_API_KEY}x` },
      'key in upper case': { authorization: `Bearer ${TEST_API_KEY.toUpperCase()}` },
      'Basic scheme': { authorization: `Basic ${Buffer.from(`admin:${TEST_API_KEY}`).toString('base64')}` },
      'raw key without scheme': { authorization: TEST_API_KEY },
      'SQL in the key': { authorization: "Bearer ' OR '1'='1" },
      'two keys in one header': { authorization: `Bearer wrong, Bearer ${TEST_API_KEY}` },
    };

    it('refuse missing and wrong keys with 401, a problem body and a Bearer challenge', async () => {
      for (const endpoint of ['state', 'records']) {
        for (const [label, headers] of Object.entries(wrong)) {
          const response = await kit.request(`/v1/subjects/${alice.ref}/${endpoint}`, { headers });
          expect(response.status, `${endpoint}: ${label}`).to.equal(401);
          expect(response.headers.get('www-authenticate'), label).to.match(/^Bearer/);
          const problem = await expectProblem(response, label);
          // A refusal must not leak what it protects.
          expect(JSON.stringify(problem)).to.not.include(alice.ref);
        }
        // The key in the query string is not a credential (it would end up in access logs).
        const inQuery = await kit.request(`/v1/subjects/${alice.ref}/${endpoint}?api_key=${TEST_API_KEY}`);
        expect(inQuery.status).to.equal(401);
        // The right key in either header works, so the refusals above are the key check.
        for (const headers of [auth, { 'x-api-key': TEST_API_KEY }]) {
          expect((await kit.request(`/v1/subjects/${alice.ref}/${endpoint}`, { headers })).status).to.equal(200);
        }
      }
    });

    it('stored keys: revoked → 401, out of scope → 403, in scope → 200 (read, admin; ingest only where required)', async () => {
      const store = kit.store;
      const read = await createApiKey(store, { name: 'reader', scope: 'read' });
      const ingest = await createApiKey(store, { name: 'collector', scope: 'ingest' });
      const admin = await createApiKey(store, { name: 'operator', scope: 'admin' });
      const revoked = await createApiKey(store, { name: 'former', scope: 'admin' });
      expect(await revokeApiKey(store, revoked.id)).to.equal(true);
      const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
      const state = `/v1/subjects/${alice.ref}/state`;

      expect((await kit.request(state, { headers: bearer(read.key) })).status).to.equal(200);
      expect((await kit.request(state, { headers: bearer(admin.key) })).status).to.equal(200);
      const outOfScope = await kit.request(state, { headers: bearer(ingest.key) });
      expect(outOfScope.status).to.equal(403);
      await expectProblem(outOfScope, 'ingest key reading');
      const gone = await kit.request(state, { headers: bearer(revoked.key) });
      expect(gone.status).to.equal(401);
      await expectProblem(gone, 'revoked key');
      // Erasure needs admin: a read key is refused and the person stays on file.
      const erase = await kit.request(`/v1/subjects/${alice.ref}`, { method: 'DELETE', headers: bearer(read.key) });
      expect(erase.status).to.equal(403);
      expect((await kit.request(state, { headers: bearer(read.key) })).status).to.equal(200);

      // Where ingest requires a key, only ingest and admin keys may post records.
      const closedIngest = createApp({
        context: kit.context,
        apiKey: TEST_API_KEY,
        ingestRequiresKey: true,
        log: (e) => kit.logged.push(e),
      });
      const signer = await kit.signer();
      const body = async () => {
        const r = await kit.signed(signer, { prev: null });
        return JSON.stringify({ records: [{ jws: r.jws }] });
      };
      const post = async (headers: Record<string, string>) =>
        closedIngest.request('/v1/records', {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: await body(),
        });
      expect((await post({})).status).to.equal(401);
      expect((await post(bearer(revoked.key))).status).to.equal(401);
      expect((await post(bearer(read.key))).status).to.equal(403);
      expect((await post(bearer(ingest.key))).status).to.equal(200);
    });

    it('an app configured without a key refuses everyone, even with a key that would be valid elsewhere', async () => {
      const closed = createApp({ context: kit.context, log: (e) => kit.logged.push(e) });
      for (const headers of [{}, auth, { 'x-api-key': TEST_API_KEY }]) {
        const response = await closed.request(`/v1/subjects/${alice.ref}/state`, { headers });
        expect(response.status).to.equal(401);
        await expectProblem(response, 'closed');
      }
    });
  });
});
