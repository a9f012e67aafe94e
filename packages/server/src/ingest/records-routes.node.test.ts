import { canonicalize, createRecord, signJws, signRecord, uuidv7 } from '@consentkit/core';
import { createTestSigner, TEST_API_KEY } from '@consentkit/test-support/keys';
import { describeEachStore, postRecords, signedRecord } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { compactVerify, createLocalJWKSet } from 'jose';
import type { IngestResult } from './ingest.js';

type Results = { results: IngestResult[] };

describeEachStore(
  'POST /v1/records',
  (s) => {
    it('accepts a chained batch, links the person by blind index and answers receipts that verify with jose against the JWKS', async () => {
      const signer = await createTestSigner();
      const first = await signedRecord({ signer, policy: s.t.policy, prev: null, email: 'Alice@Example.com' });
      const second = await signedRecord({ signer, policy: s.t.policy, prev: first.digest, email: 'alice@example.com' });
      const response = await postRecords(s.t.app, [
        { jws: first.jws, opening: first.opening },
        { jws: second.jws, opening: second.opening },
      ]);
      expect(response.status).to.equal(200);
      const { results } = (await response.json()) as Results;
      expect(results.map((r) => r.status)).to.deep.equal(['accepted', 'accepted']);

      const jwks = await (await s.t.app.request('/.well-known/jwks.json')).json();
      const keySet = createLocalJWKSet(jwks as Parameters<typeof createLocalJWKSet>[0]);
      for (const [i, result] of results.entries()) {
        if (result.status !== 'accepted') throw new Error('expected accepted');
        const { payload, protectedHeader } = await compactVerify(result.receipt, keySet);
        const claims = JSON.parse(new TextDecoder().decode(payload));
        expect(protectedHeader.typ).to.equal('consent-receipt+jws');
        expect(claims).to.include({
          recordId: [first, second][i]?.record.id,
          digest: [first, second][i]?.digest,
          seq: result.seq,
        });
        expect(claims.receivedAt).to.match(/^\d{4}-\d\d-\d\dT/);
      }

      // Both records land on one subject, found by the email (never stored in clear).
      const state = await s.t.app.request('/v1/subjects/alice%40example.com/state', {
        headers: { authorization: `Bearer ${TEST_API_KEY}` },
      });
      expect(state.status).to.equal(200);
      const body = (await state.json()) as { state: Record<string, { status: string }> };
      expect(body.state.marketing?.status).to.equal('granted');
      const rows = await s.db.store.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM subjects WHERE blind_index LIKE '%@%'",
      );
      expect(rows[0]?.n).to.equal(0);
    });

    it('answers each record on its own: one bad record never sinks the batch', async () => {
      const signer = await createTestSigner();
      const good = await signedRecord({ signer, policy: s.t.policy, prev: null });
      const next = await signedRecord({ signer, policy: s.t.policy, prev: good.digest });
      const response = await postRecords(s.t.app, [{ jws: good.jws }, { jws: 'not-a-jws' }, { jws: next.jws }]);
      const { results } = (await response.json()) as Results;
      expect(results.map((r) => r.status)).to.deep.equal(['accepted', 'rejected', 'accepted']);
    });

    it('a bad signature among 30 records of one batch (checked on the verify pool) refuses that record alone; the rest are placed once, in order', async () => {
      const signer = await createTestSigner();
      const records = [];
      let prev: string | null = null;
      for (let i = 0; i < 30; i++) {
        // Record 12 is refused, so its successor must chain to record 11: each names the last placed one.
        const signed = await signedRecord({ signer, policy: s.t.policy, prev });
        records.push(signed);
        if (i !== 12) prev = signed.digest;
      }
      const items = records.map((r, i) => {
        if (i !== 12) return { jws: r.jws };
        const at = r.jws.length - 10;
        return { jws: `${r.jws.slice(0, at)}${r.jws[at] === 'A' ? 'B' : 'A'}${r.jws.slice(at + 1)}` };
      });
      // Straight to the ingestor: this suite's routes take at most 5 records a request.
      const results = await s.t.context.ingestor.ingest(items);
      expect(results.map((r) => (r.status === 'accepted' ? 'accepted' : r.code))).to.deep.equal(
        items.map((_, i) => (i === 12 ? 'invalid-signature' : 'accepted')),
      );
      const seqs = results.flatMap((r) => (r.status === 'accepted' ? [r.seq] : []));
      expect(seqs).to.deep.equal([...seqs].sort((a, b) => a - b));
      // Posted again: every good record a duplicate with its first answer, the bad one refused again.
      const again = await s.t.context.ingestor.ingest(items);
      expect(again.map((r) => (r.status === 'accepted' ? r.duplicate : r.code))).to.deep.equal(
        items.map((_, i) => (i === 12 ? 'invalid-signature' : true)),
      );
      const ids = records.filter((_, i) => i !== 12).map((r) => r.record.id);
      const rows = await s.db.store.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM ledger_entries WHERE record_id = ANY(ARRAY(SELECT json_array_elements_text($1::json)))',
        [JSON.stringify(ids)],
      );
      expect(rows[0]?.n).to.equal(29);
    });

    describe('rejects with a code and a reason', () => {
      const rejection = async (items: unknown[]) => {
        const response = await postRecords(s.t.app, items);
        expect(response.status).to.equal(200);
        const { results } = (await response.json()) as Results;
        const result = results[0];
        if (result?.status !== 'rejected') throw new Error(`expected a rejection, got ${JSON.stringify(result)}`);
        expect(result.reason).to.be.a('string').and.not.equal('');
        return result;
      };

      it('invalid-record: not a JWS, or a signed payload that is not a record', async () => {
        expect((await rejection([{ jws: 'not-a-jws' }])).code).to.equal('invalid-record');
        const signer = await createTestSigner();
        const jws = await signJws({
          payload: canonicalize({ schema: 'consentkit/record@1', id: uuidv7() }),
          signer,
          header: { typ: 'consent-record+jws', kid: signer.kid, jwk: signer.publicJwk },
        });
        expect((await rejection([{ jws }])).code).to.equal('invalid-record');
      });

      it('invalid-signature: a record whose signature was altered', async () => {
        const signed = await signedRecord({ signer: await createTestSigner(), policy: s.t.policy, prev: null });
        const [h, p, sig = ''] = signed.jws.split('.');
        const flipped = `${h}.${p}.${sig.startsWith('A') ? `B${sig.slice(1)}` : `A${sig.slice(1)}`}`;
        expect((await rejection([{ jws: flipped }])).code).to.equal('invalid-signature');
      });

      it('policy-mismatch: a policy version the ledger never served', async () => {
        const signed = await signedRecord({
          signer: await createTestSigner(),
          policy: s.t.policy,
          prev: null,
          override: { policy: { id: 'allstream', version: '1.1', digest: 'ab'.repeat(32) } },
        });
        expect((await rejection([{ jws: signed.jws }])).code).to.equal('policy-mismatch');
      });

      it('chain-broken: prev is not the last record of that key', async () => {
        const signer = await createTestSigner();
        const first = await signedRecord({ signer, policy: s.t.policy, prev: 'cd'.repeat(32) });
        expect((await rejection([{ jws: first.jws }])).code).to.equal('chain-broken');
        const ok = await signedRecord({ signer, policy: s.t.policy, prev: null });
        await postRecords(s.t.app, [{ jws: ok.jws }]);
        const stale = await signedRecord({ signer, policy: s.t.policy, prev: null });
        expect((await rejection([{ jws: stale.jws }])).code).to.equal('chain-broken');
      });

      it('commitment-mismatch: the opening does not open the commitment', async () => {
        const signed = await signedRecord({
          signer: await createTestSigner(),
          policy: s.t.policy,
          prev: null,
          email: 'bob@example.com',
        });
        const opening = { ...signed.opening, identifier: 'mallory@example.com' };
        expect((await rejection([{ jws: signed.jws, opening }])).code).to.equal('commitment-mismatch');
      });

      it('unknown-subject: a ref the ledger never issued', async () => {
        const signed = await signedRecord({
          signer: await createTestSigner(),
          policy: s.t.policy,
          prev: null,
          override: { subject: { kind: 'ref', ref: uuidv7() } },
        });
        const response = await postRecords(s.t.app, [{ jws: signed.jws }], { authorization: `Bearer ${TEST_API_KEY}` });
        const { results } = (await response.json()) as Results;
        expect(results[0]).to.include({ status: 'rejected', code: 'unknown-subject' });
      });

      it('ref-needs-key: a ref from a caller without an API key (a browser, or whoever holds a forwarded link)', async () => {
        const signed = await signedRecord({
          signer: await createTestSigner(),
          policy: s.t.policy,
          prev: null,
          override: { subject: { kind: 'ref', ref: uuidv7() } },
        });
        expect((await rejection([{ jws: signed.jws }])).code).to.equal('ref-needs-key');
      });

      it('conflict: a known record id with different content', async () => {
        const signer = await createTestSigner();
        const original = await signedRecord({ signer, policy: s.t.policy, prev: null });
        await postRecords(s.t.app, [{ jws: original.jws }]);
        const other = await createRecord({
          subject: { kind: 'device' },
          policy: s.t.policy,
          decisions: [{ purpose: 'marketing', granted: false, basis: 'opt-out' }],
          method: 'checkbox',
          interaction: 'pointer',
          collectionPoint: {},
          locale: 'en',
          prev: original.digest,
        });
        const forged = await signRecord({ record: { ...other, id: original.record.id }, signer });
        expect((await rejection([{ jws: forged.jws }])).code).to.equal('conflict');
      });
    });

    it('is idempotent by record id, even for concurrent duplicate posts: one entry, the original receipt', async () => {
      const signed = await signedRecord({
        signer: await createTestSigner(),
        policy: s.t.policy,
        prev: null,
        email: 'carol@example.com',
      });
      const item = { jws: signed.jws, opening: signed.opening };
      const responses = await Promise.all(Array.from({ length: 8 }, () => postRecords(s.t.app, [item])));
      const results = await Promise.all(responses.map(async (r) => ((await r.json()) as Results).results[0]));
      const receipts = new Set(results.map((r) => (r?.status === 'accepted' ? r.receipt : 'rejected')));
      expect(receipts.size).to.equal(1);
      expect([...receipts][0]).to.not.equal('rejected');
      expect(results.filter((r) => r?.status === 'accepted' && !r.duplicate)).to.have.length(1);
      const rows = await s.db.store.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM ledger_entries WHERE record_id = $1',
        [signed.record.id],
      );
      expect(rows[0]?.n).to.equal(1);
      const again = ((await (await postRecords(s.t.app, [item])).json()) as Results).results[0];
      expect(again).to.include({ status: 'accepted', duplicate: true });
    });

    it('places a batch as one by one would: a repeat inside the batch is a duplicate, a changed copy a conflict, a new person made once', async () => {
      const signer = await createTestSigner();
      const a = await signedRecord({ signer, policy: s.t.policy, prev: null, email: 'dora@example.com' });
      const b = await signedRecord({ signer, policy: s.t.policy, prev: a.digest, email: 'Dora@example.com' });
      // Same id as `a`, different content: a conflict, not a second entry.
      const changed = await signRecord({ record: { ...a.record, locale: 'fr' }, signer });
      const response = await postRecords(s.t.app, [
        { jws: a.jws, opening: a.opening },
        { jws: a.jws, opening: a.opening },
        { jws: changed.jws },
        { jws: b.jws, opening: b.opening },
      ]);
      const { results } = (await response.json()) as Results;
      expect(results.map((r) => r.status)).to.deep.equal(['accepted', 'accepted', 'rejected', 'accepted']);
      const [first, repeat, conflict, second] = results;
      expect(repeat).to.deep.include({ duplicate: true, seq: first?.status === 'accepted' ? first.seq : -1 });
      expect(
        repeat?.status === 'accepted' && first?.status === 'accepted' && repeat.receipt === first.receipt,
      ).to.equal(true);
      expect(conflict).to.include({ code: 'conflict' });
      expect(second?.status === 'accepted' && first?.status === 'accepted' && second.seq === first.seq + 1).to.equal(
        true,
      );
      const people = await s.db.store.query<{ n: number }>(
        'SELECT count(DISTINCT subject_ref)::int AS n FROM ledger_entries WHERE record_id = ANY($1::text[])',
        [`{${a.record.id},${b.record.id}}`],
      );
      expect(people[0]?.n).to.equal(1);
    });

    it('concurrent batches from many devices are placed together, each answered in its own order', async () => {
      const batches = await Promise.all(
        Array.from({ length: 6 }, async (_, d) => {
          const signer = await createTestSigner();
          const items: { jws: string; opening?: unknown }[] = [];
          let prev: string | null = null;
          for (let i = 0; i < 3; i++) {
            const r = await signedRecord({ signer, policy: s.t.policy, prev, email: `grp${d}-${i}@example.com` });
            items.push({ jws: r.jws, opening: r.opening });
            prev = r.digest;
          }
          return items;
        }),
      );
      const answers = await Promise.all(
        batches.map(async (items) => ((await (await postRecords(s.t.app, items)).json()) as Results).results),
      );
      const seqs = answers.flatMap((results) => results.map((r) => (r.status === 'accepted' ? r.seq : -1)));
      expect(seqs).to.not.include(-1);
      expect(new Set(seqs).size).to.equal(18);
      // Within each batch, its own order (each record chained on the one before).
      for (const results of answers) {
        const own = results.map((r) => (r.status === 'accepted' ? r.seq : -1));
        expect(own).to.deep.equal([...own].sort((x, y) => x - y));
      }
    });

    it('answers 413 past the body or batch limit, 400 for a body that is not a batch, 415 for another media type', async () => {
      const signed = await signedRecord({ signer: await createTestSigner(), policy: s.t.policy, prev: null });
      const tooMany = await postRecords(
        s.t.app,
        Array.from({ length: 6 }, () => ({ jws: signed.jws })),
      );
      expect(tooMany.status).to.equal(413);
      expect(tooMany.headers.get('content-type')).to.equal('application/problem+json');
      const tooBig = await postRecords(s.t.app, [{ jws: 'x'.repeat(70 * 1024) }]);
      expect(tooBig.status).to.equal(413);
      const empty = await postRecords(s.t.app, []);
      expect(empty.status).to.equal(400);
      expect(((await empty.json()) as { issues: unknown[] }).issues).to.have.length.greaterThan(0);
      expect((await postRecords(s.t.app, '{"records":')).status).to.equal(400);
      expect((await postRecords(s.t.app, 'null')).status).to.equal(400);
      const typed = (type: string, body: string) =>
        s.t.app.request('/v1/records', { method: 'POST', headers: { 'content-type': type }, body });
      // Media types match exactly, never by prefix.
      for (const type of ['application/jsonx', 'application/json-seq', 'text/html', 'text/plain; charset=latin1']) {
        const refused = await typed(type, JSON.stringify({ records: [{ jws: signed.jws }] }));
        expect(refused.status, type).to.equal(415);
        const problem = (await refused.json()) as Record<string, unknown>;
        expect(problem, type).to.include({ status: 415, code: 'unsupported-media-type' });
        expect(String(problem.detail), type).to.include('send the body as application/json or text/plain');
        expect(JSON.stringify(problem)).to.not.include('at ');
      }
      expect(String(((await (await typed('application/jsonx', '{}')).json()) as { detail: string }).detail)).to.include(
        '(got application/jsonx)',
      );
      expect((await typed('text/plain', 'hi')).status).to.equal(400);
    });

    it('takes the SDK’s page-hide beacon: the same body as text/plain (CORS-safelisted, no preflight)', async () => {
      const signer = await createTestSigner();
      const first = await signedRecord({ signer, policy: s.t.policy, prev: null });
      const second = await signedRecord({ signer, policy: s.t.policy, prev: first.digest });
      for (const [type, signed] of [
        ['text/plain;charset=UTF-8', first],
        ['application/json; charset=utf-8', second],
      ] as const) {
        const res = await s.t.app.request('/v1/records', {
          method: 'POST',
          headers: { 'content-type': type },
          body: JSON.stringify({ records: [{ jws: signed.jws }] }),
        });
        expect(res.status, type).to.equal(200);
        expect(((await res.json()) as Results).results[0]?.status, type).to.equal('accepted');
      }
    });

    it('allows the configured origins only (CORS)', async () => {
      const preflight = await s.t.app.request('/v1/records', {
        method: 'OPTIONS',
        headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
      });
      expect(preflight.headers.get('access-control-allow-origin')).to.equal('https://shop.example');
      const other = await s.t.app.request('/v1/records', {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
      expect(other.headers.get('access-control-allow-origin')).to.equal(null);
    });
  },
  {
    maxBatch: 5,
    maxBodyBytes: 64 * 1024,
    corsOrigins: ['https://shop.example'],
  },
);
