// The /admin dashboard's server side on both stores: access control, the figures for a
// known set of records ingested through the real app, the audit trail, verification badges.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CreateRecordInput, Signer } from '@consentkit/core';
import { createTestSigner, TEST_API_KEY } from '@consentkit/test-support/keys';
import type { SignedTestRecord } from '@consentkit/test-support/people';
import {
  APPLICATION_FORM,
  describeEachStore,
  postDashboardPeople,
  postRecords,
  signedRecord,
} from '@consentkit/test-support/server';
import { expect } from 'chai';
import { Hono } from 'hono';
import type { z } from 'zod';
import { type CreatedApiKey, createApiKey, revokeApiKey } from '../access/api-keys.js';
import { listAudit } from '../access/audit-log.js';
import { createErrorHandler } from '../platform/http/errors.js';
import { type AdminRoutesOptions, createAdminRoutes } from './admin-routes.js';
import {
  collectionPointsResponseSchema,
  ledgerStatusResponseSchema,
  purposeStatsResponseSchema,
  subjectLookupResponseSchema,
} from './admin-schemas.js';

type Counts = { granted: number; optedOut: number; withdrawn: number; decisions: number };
type PurposesBody = { from: string; to: string; days: { day: string; purposes: Record<string, Counts> }[] };
type PointsBody = {
  collectionPoints: {
    url: string | null;
    form: string | null;
    flow: string | null;
    records: number;
    optOutDecisions: number;
    optedOut: number;
    optOutRate: number | null;
  }[];
};
type Badge = { ok: boolean; detail: string };
type LookupBody = {
  subject: string;
  state: Record<string, { status: string }>;
  records: {
    seq: number;
    method: string;
    decisions: { purpose: string; granted: boolean }[];
    badges: { signature: Badge; chain: Badge; receipt: Badge };
  }[];
};
type StatusBody = {
  ok: boolean;
  entriesChecked: number;
  headSeq: number;
  cached: boolean;
  checkedAt: string;
  lastCheckpoint: { seq: number } | null;
  fault: { seq: number; reason: string } | null;
};

const TODAY = new Date().toISOString().slice(0, 10);
const shift = (day: string, by: number) => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + by);
  return d.toISOString().slice(0, 10);
};
const YESTERDAY = shift(TODAY, -1);
const TOMORROW = shift(TODAY, 1);

const ADMIN = { authorization: `Bearer ${TEST_API_KEY}` };
const APPLY = APPLICATION_FORM;

describeEachStore(
  '/admin dashboard API',
  (s) => {
    const keys: Record<'ingest' | 'read' | 'revoked', CreatedApiKey | undefined> = {
      ingest: undefined,
      read: undefined,
      revoked: undefined,
    };
    /** The admin routes alone, behind the app's problem-details error handler. */
    const adminApp = (extra: Partial<AdminRoutesOptions>) => {
      const app = new Hono();
      app.onError(createErrorHandler({ log: () => {} }));
      app.route('/', createAdminRoutes({ ...s.t.context, apiKey: TEST_API_KEY, ...extra }));
      return app;
    };
    const bearer = (key: CreatedApiKey | undefined) => ({ authorization: `Bearer ${key?.key ?? ''}` });
    const get = (path: string, headers: Record<string, string> = ADMIN) => s.t.app.request(path, { headers });
    const lookup = (query: unknown, headers: Record<string, string> = ADMIN) =>
      s.t.app.request('/v1/admin/subject-lookup', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query }),
      });

    /** Signs and posts one record through the real app, chaining on the signer's last digest. */
    const heads = new Map<Signer, string | null>();
    async function ingest(
      signer: Signer,
      email: string,
      decisions: CreateRecordInput['decisions'],
      collectionPoint: Record<string, string> = APPLY,
    ): Promise<SignedTestRecord> {
      const signed = await signedRecord({
        signer,
        policy: s.t.policy,
        prev: heads.get(signer) ?? null,
        email,
        decisions,
        override: { collectionPoint },
      });
      const response = await postRecords(s.t.app, [{ jws: signed.jws, opening: signed.opening }]);
      const body = (await response.json()) as { results: { status: string }[] };
      expect(body.results[0]?.status, JSON.stringify(body)).to.equal('accepted');
      heads.set(signer, signed.digest);
      return signed;
    }

    before(async () => {
      keys.ingest = await createApiKey(s.db.store, { name: 'website', scope: 'ingest' });
      keys.read = await createApiKey(s.db.store, { name: 'privacy office', scope: 'read' });
      keys.revoked = await createApiKey(s.db.store, { name: 'old laptop', scope: 'admin' });
      await revokeApiKey(s.db.store, keys.revoked.id);

      // The known set: see postDashboardPeople (test-support/server/dashboard-people.ts).
      await postDashboardPeople({
        policy: s.t.policy,
        async post(record) {
          const body = (await (await postRecords(s.t.app, [record])).json()) as { results: { status: string }[] };
          expect(body.results[0]?.status, JSON.stringify(body)).to.equal('accepted');
        },
      });
    });

    it('401 without a key, with an unknown or a revoked key; 403 for an ingest-only key', async () => {
      const paths = ['/v1/admin/stats/purposes', '/v1/admin/stats/collection-points', '/v1/admin/ledger-status'];
      for (const path of paths) {
        const none = await get(path, {});
        expect(none.status, path).to.equal(401);
        expect(none.headers.get('content-type')).to.equal('application/problem+json');
        expect(((await none.json()) as { detail: string }).detail).to.match(/API key is required/);
        expect((await get(path, { authorization: 'Bearer ck_not-a-real-key' })).status).to.equal(401);
        const revoked = await get(path, bearer(keys.revoked));
        expect(revoked.status).to.equal(401);
        expect(((await revoked.json()) as { detail: string }).detail).to.match(/revoked/);
        const ingestOnly = await get(path, bearer(keys.ingest));
        expect(ingestOnly.status).to.equal(403);
        expect(((await ingestOnly.json()) as { detail: string }).detail).to.match(/needs "read"/);
        expect((await get(path, bearer(keys.read))).status).to.equal(200);
      }
      expect((await lookup('alice@example.com', {})).status).to.equal(401);
      expect((await lookup('alice@example.com', bearer(keys.ingest))).status).to.equal(403);
      // The key is never accepted from the URL.
      expect((await get(`/v1/admin/ledger-status?api_key=${TEST_API_KEY}`, {})).status).to.equal(401);
    });

    it('counts the state by purpose per day from the ledger, a withdrawal replacing the grant (R11)', async () => {
      const response = await get(`/v1/admin/stats/purposes?from=${YESTERDAY}&to=${TOMORROW}&bucket=day`);
      expect(response.status).to.equal(200);
      const body = (await response.json()) as PurposesBody;
      expect(body.days.map((d) => d.day)).to.deep.equal([YESTERDAY, TODAY, TOMORROW]);
      const [before, today, after] = body.days;
      expect(before?.purposes.marketing).to.deep.equal({ granted: 0, optedOut: 0, withdrawn: 0, decisions: 0 });
      expect(today?.purposes['application-processing']).to.deep.equal({
        granted: 3,
        optedOut: 0,
        withdrawn: 0,
        decisions: 3,
      });
      // Alice's later opt-out replaces her grant: one person, one state.
      expect(today?.purposes.marketing).to.deep.equal({ granted: 1, optedOut: 2, withdrawn: 0, decisions: 4 });
      expect(today?.purposes['partner-sharing']).to.deep.equal({
        granted: 0,
        optedOut: 0,
        withdrawn: 1,
        decisions: 2,
      });
      expect(after?.purposes.marketing).to.deep.equal({ granted: 1, optedOut: 2, withdrawn: 0, decisions: 0 });
      expect(Object.keys(today?.purposes ?? {})).to.not.include('credit-check');
    });

    it('catches up with records added after the last answer (no full rescan needed)', async () => {
      await get(`/v1/admin/stats/purposes?from=${TODAY}&to=${TODAY}`);
      await ingest(await createTestSigner(), 'dave@example.com', [
        { purpose: 'application-processing', granted: true, basis: 'implied' },
        { purpose: 'marketing', granted: false, basis: 'opt-out' },
      ]);
      const body = (await (await get(`/v1/admin/stats/purposes?from=${TODAY}&to=${TODAY}`)).json()) as PurposesBody;
      expect(body.days[0]?.purposes.marketing).to.deep.equal({ granted: 1, optedOut: 3, withdrawn: 0, decisions: 5 });
      expect(body.days[0]?.purposes['application-processing']?.granted).to.equal(4);
    });

    it('gives the opt-out rate per collection point (query strings dropped, null where nothing was offered)', async () => {
      const response = await get('/v1/admin/stats/collection-points');
      expect(response.status).to.equal(200);
      const { collectionPoints } = (await response.json()) as PointsBody;
      const apply = collectionPoints.find((p) => p.form === 'application');
      // Alice, Bob, Carol and Dave at the form; Bob and Dave opted out of marketing there.
      expect(apply).to.deep.include({ url: APPLY.url, records: 4, optOutDecisions: 4, optedOut: 2, optOutRate: 0.5 });
      const news = collectionPoints.find((p) => p.form === 'newsletter');
      expect(news).to.deep.include({
        url: 'https://allstream.example/news',
        records: 1,
        optOutDecisions: 1,
        optedOut: 1,
        optOutRate: 1,
      });
      const account = collectionPoints.find((p) => p.flow === 'preference-page');
      expect(account).to.deep.include({ records: 1, optOutDecisions: 0, optedOut: 0, optOutRate: null });
      expect(collectionPoints).to.have.length(3);
    });

    it('400 with the reason for a bad range or bucket', async () => {
      const cases: [string, RegExp][] = [
        ['bucket=week', /only bucket=day/],
        ['from=2026-02-30', /calendar day/],
        ['from=yesterday', /YYYY-MM-DD/],
        [`from=${TOMORROW}&to=${TODAY}`, /swap them/],
        ['from=2020-01-01&to=2026-01-01', /at most 366 days/],
        ['limit=5', /Unrecognized|unrecognized/],
      ];
      for (const [query, reason] of cases) {
        const response = await get(`/v1/admin/stats/purposes?${query}`);
        expect(response.status, query).to.equal(400);
        const problem = (await response.json()) as { detail: string; issues?: { message: string }[] };
        expect(`${problem.detail} ${JSON.stringify(problem.issues ?? [])}`, query).to.match(reason);
      }
    });

    it('looks a subject up by email or ref: history with signature, chain and receipt badges', async () => {
      const response = await lookup('Alice@Example.com', bearer(keys.read));
      expect(response.status).to.equal(200);
      const body = (await response.json()) as LookupBody;
      expect(body.records.map((r) => r.decisions.map((d) => `${d.purpose}:${d.granted}`))).to.deep.equal([
        ['application-processing:true', 'marketing:true'],
        ['marketing:false'],
      ]);
      for (const record of body.records) {
        expect(record.badges.signature.ok, record.badges.signature.detail).to.equal(true);
        expect(record.badges.chain.ok, record.badges.chain.detail).to.equal(true);
        expect(record.badges.receipt.ok, record.badges.receipt.detail).to.equal(true);
      }
      expect(body.state.marketing?.status).to.not.equal('granted');
      const byRef = (await (await lookup(body.subject)).json()) as LookupBody;
      expect(byRef.records).to.have.length(2);
      expect(JSON.stringify(byRef)).to.not.include('alice@');
    });

    it('answers match the wire schemas the dashboard’s exported types are inferred from', async () => {
      const answers: Array<[string, z.ZodType, Response]> = [
        ['purposes', purposeStatsResponseSchema, await get(`/v1/admin/stats/purposes?from=${TODAY}&to=${TODAY}`)],
        ['collection points', collectionPointsResponseSchema, await get('/v1/admin/stats/collection-points')],
        ['ledger status', ledgerStatusResponseSchema, await get('/v1/admin/ledger-status')],
        ['subject lookup', subjectLookupResponseSchema, await lookup('alice@example.com')],
      ];
      for (const [what, schema, response] of answers) {
        expect(response.status, what).to.equal(200);
        const parsed = schema.safeParse(await response.json());
        expect(parsed.success, `${what}: ${JSON.stringify(parsed.error?.issues)}`).to.equal(true);
      }
    });

    it('lookup: 404 for an unknown person, 400/415 for a malformed request', async () => {
      expect((await lookup('nobody@example.com')).status).to.equal(404);
      expect((await lookup('01890000-0000-7000-8000-000000000000')).status).to.equal(404);
      const bad = await lookup('not-a-ref');
      expect(bad.status).to.equal(400);
      expect(((await bad.json()) as { detail: string }).detail).to.match(/email address or a subject reference/);
      expect((await lookup('')).status).to.equal(400);
      expect((await lookup(42)).status).to.equal(400);
      const text = await s.t.app.request('/v1/admin/subject-lookup', {
        method: 'POST',
        headers: { ...ADMIN, 'content-type': 'text/plain' },
        body: 'alice@example.com',
      });
      expect(text.status).to.equal(415);
    });

    it('writes every answer to the audit trail, by key and never with the email', async () => {
      const before = (await listAudit(s.db.store, { limit: 10_000 })).length;
      await get('/v1/admin/stats/collection-points', bearer(keys.read));
      await get('/v1/admin/ledger-status', bearer(keys.read));
      await lookup('bob@example.com', bearer(keys.read));
      await lookup('nobody@example.com', bearer(keys.read));
      await get('/v1/admin/stats/purposes', bearer(keys.ingest)); // refused: not logged as a read
      const added = (await listAudit(s.db.store, { limit: 10_000 })).slice(before);
      expect(added.map((e) => e.action)).to.deep.equal([
        'admin.stats',
        'admin.ledger-status',
        'subject.records',
        'subject.records',
      ]);
      for (const entry of added) expect(entry.actor).to.equal(`key:${keys.read?.id}`);
      expect(added[2]?.target).to.match(/^[0-9a-f-]{36}$/);
      expect(added[2]?.detail).to.deep.equal({ via: 'admin-lookup', by: 'email', found: true });
      expect(added[3]?.target).to.equal(null);
      expect(added[3]?.detail).to.deep.include({ found: false });
      expect(JSON.stringify(added)).to.not.include('@example.com');
    });

    it('reports the ledger verification, cached while the head does not move (R72)', async () => {
      const first = (await (await get('/v1/admin/ledger-status')).json()) as StatusBody;
      const count = Number((await s.db.store.query<{ n: number }>('SELECT count(*) AS n FROM ledger_entries'))[0]?.n);
      expect(first).to.deep.include({ ok: true, entriesChecked: count, headSeq: count, fault: null });
      expect(first.lastCheckpoint?.seq).to.equal(count - (count % 2));
      const second = (await (await get('/v1/admin/ledger-status')).json()) as StatusBody;
      expect(second.cached).to.equal(true);
      expect(second.checkedAt).to.equal(first.checkedAt);
      // GETs changed nothing in the ledger.
      const head = await s.db.store.query<{ seq: number }>('SELECT seq FROM ledger_head');
      expect(Number(head[0]?.seq)).to.equal(count);
    });

    it('tampering shows as failed badges and a failed verification naming the entry (R72)', async () => {
      const bob = (await (await lookup('bob@example.com')).json()) as LookupBody;
      const seq = bob.records[0]?.seq ?? 0;
      const other = await s.db.store.query<{ receipt: string }>('SELECT receipt FROM ledger_entries WHERE seq = 1');
      // Another entry's genuine receipt: signed by the ledger, but not for this entry. The badge
      // checks each receipt itself, whatever the checkpoints say.
      await s.db.store.query('UPDATE ledger_entries SET receipt = $1 WHERE seq = $2', [other[0]?.receipt ?? '', seq]);
      const swapped = (await (await lookup('bob@example.com')).json()) as LookupBody;
      expect(swapped.records[0]?.badges.signature.ok).to.equal(true);
      expect(swapped.records[0]?.badges.chain.ok).to.equal(true);
      expect(swapped.records[0]?.badges.receipt.ok).to.equal(false);
      expect(swapped.records[0]?.badges.receipt.detail).to.match(/does not match the entry/);
      // A changed column the chain covers: the chain badge fails, and so does a fresh verification.
      await s.db.store.query('UPDATE ledger_entries SET received_at = $1 WHERE seq = $2', [
        '2000-01-01T00:00:00.000Z',
        seq,
      ]);
      const changed = (await (await lookup('bob@example.com')).json()) as LookupBody;
      expect(changed.records[0]?.badges.signature.ok).to.equal(true);
      expect(changed.records[0]?.badges.chain.ok).to.equal(false);
      expect(changed.records[0]?.badges.chain.detail).to.match(/was changed/);
      const routes = adminApp({ verifyMaxAgeMs: 0 });
      const status = (await (await routes.request('/v1/admin/ledger-status', { headers: ADMIN })).json()) as StatusBody;
      expect(status.ok).to.equal(false);
      expect(status.fault?.seq).to.equal(seq);
      expect(status.entriesChecked).to.be.below(seq);
    });

    it('serves the page with a strict CSP, no inline code and no secret; the bundle or a clear 404', async () => {
      const page = await s.t.app.request('/admin');
      expect(page.status).to.equal(200);
      const csp = page.headers.get('content-security-policy') ?? '';
      expect(csp).to.include("script-src 'self'");
      expect(csp).to.include("frame-ancestors 'none'");
      expect(csp).to.not.include('unsafe');
      expect(page.headers.get('cache-control')).to.equal('no-store');
      expect(page.headers.get('referrer-policy')).to.equal('no-referrer');
      const html = await page.text();
      expect(html).to.include('<script type="module" src="/admin/admin.js"></script>');
      expect(html).to.not.match(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html).to.not.match(/<style|\sstyle=/);
      expect(html).to.not.include(TEST_API_KEY);
      expect(page.headers.get('set-cookie')).to.equal(null);

      const dir = mkdtempSync(join(tmpdir(), 'ck-admin-'));
      try {
        const built = join(dir, 'admin.js');
        writeFileSync(built, 'export {};\n');
        const withBundle = adminApp({ bundleFile: built });
        const js = await withBundle.request('/admin/admin.js');
        expect(js.status).to.equal(200);
        expect(js.headers.get('content-type')).to.match(/^text\/javascript/);
        expect(await js.text()).to.equal('export {};\n');
        const missing = adminApp({ bundleFile: join(dir, 'none.js') });
        const notBuilt = await missing.request('/admin/admin.js');
        expect(notBuilt.status).to.equal(404);
        expect(((await notBuilt.json()) as { detail: string }).detail).to.match(/not built/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
  { checkpointEvery: 2 },
);
