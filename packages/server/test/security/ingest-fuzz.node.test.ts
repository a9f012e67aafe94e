// Property-based fuzzing of POST /v1/records on the real app and a real PGlite database
// (bad input): arbitrary JSON, wrong types, mutated signed records, huge batches, deep
// nesting, invalid UTF-8, wrong content types and oversized bodies. Never a 5xx; every refusal is
// a 4xx problem document; a refused record writes nothing; and a record accepted before the run
// is still there, with the same receipt, and the ledger still verifies afterwards.
import { after, before, describe, it } from 'node:test';
import { base64urlDecode, base64urlEncode, utf8Encode } from '@consentkit/core';
import { fuzzRuns } from '@consentkit/test-support/fuzz';
import { TEST_MASTER_KEY } from '@consentkit/test-support/keys';
import {
  createLedgerKit,
  expectProblem,
  type LedgerKit,
  type LedgerPerson,
  type Snapshot,
} from '@consentkit/test-support/server';
import { expect } from 'chai';
import fc from 'fast-check';
import { exportBackup } from '../../src/backup/export.js';
import { importBackup } from '../../src/backup/import.js';
import type { IngestResult } from '../../src/ingest/ingest.js';
import { createPgliteStore } from '../../src/platform/store/pglite-store.js';

const RUNS = fuzzRuns({ node: 150 });
/** Soak sizes run far past node:test's default 300 s per test; allow ~100 ms per case. */
const SLOW = { timeout: Math.max(300_000, RUNS * 100) };
const MAX_BODY = 64 * 1024;
const MAX_BATCH = 20;

type Results = { results: IngestResult[] };

/**
 * The one invariant of every fuzz case: no 5xx; a 200 carries one result per record, none of
 * them accepted (nothing generated here is signed by a key we hold); anything else is a problem.
 */
async function expectRefused(response: Response, label: string): Promise<void> {
  if (response.status === 200) {
    const body = (await response.json()) as Results;
    expect(body.results, label).to.be.an('array');
    for (const r of body.results) expect(r.status, `${label}: ${JSON.stringify(r)}`).to.equal('rejected');
    return;
  }
  await expectProblem(response, label);
}

const raw = (kit: LedgerKit, body: BodyInit, contentType: string | undefined, extra: RequestInit = {}) =>
  kit.request('/v1/records', {
    method: 'POST',
    ...(contentType === undefined ? {} : { headers: { 'content-type': contentType } }),
    body,
    ...extra,
  });

/** `consentkit export` of the kit's ledger restores with `consentkit import` into a fresh store, nothing kept aside. */
async function expectExportImports(kit: LedgerKit): Promise<void> {
  const lines: string[] = [];
  for await (const line of exportBackup({ store: kit.store, ledger: kit.context.ledger })) lines.push(line);
  const target = await createPgliteStore();
  try {
    const result = await importBackup({
      store: target,
      masterKey: TEST_MASTER_KEY,
      lines: (async function* () {
        for (const line of lines.join('').split('\n')) yield line;
      })(),
    });
    expect(result.ok, JSON.stringify(result)).to.equal(true);
    expect(result.ok && result.unverifiable).to.deep.equal([]);
  } finally {
    await target.close();
  }
}

describe('security: fuzzing POST /v1/records (PGlite, real app)', () => {
  let kit: LedgerKit;
  let seeded: LedgerPerson;
  let baseline: Snapshot;
  let cases = 0;

  // The app is built with small limits so the 413 paths are reachable in CI-sized runs.
  const setUp = async () => {
    kit = await createLedgerKit({
      onDisk: true,
      checkpointEvery: 5,
      app: { maxBodyBytes: MAX_BODY, maxBatch: MAX_BATCH },
    });
    seeded = await kit.person('seeded@example.test');
    baseline = await kit.snapshot();
  };
  const tearDown = () => kit.close();

  describe('with one record already accepted', () => {
    before(setUp);
    after(async () => {
      // The record accepted before the fuzz run is still there, unchanged, with its receipt.
      const again = await kit.post([{ jws: seeded.jws, opening: seeded.opening }]);
      const [result] = ((await again.json()) as Results).results;
      expect(result).to.include({ status: 'accepted', duplicate: true, seq: seeded.seq });
      // Nothing any fuzz case sent wrote a single row anywhere.
      expect(await kit.snapshot()).to.deep.equal(baseline);
      const verified = await kit.verify();
      expect(verified.ok).to.equal(true);
      expect(verified.ok && verified.unverifiable).to.deep.equal([]);
      // The ledger that went through every bad input still exports, and the export imports.
      await expectExportImports(kit);
      expect(kit.logged, 'unexpected errors logged by the app').to.deep.equal([]);
      console.log(`[fuzz] POST /v1/records: ${cases} generated requests, no 5xx, ledger verifies`);
      await tearDown();
    });

    it('arbitrary JSON bodies: a problem or per-record rejections, never a 5xx', SLOW, async () => {
      await fc.assert(
        fc.asyncProperty(fc.jsonValue({ maxDepth: 5 }), async (value) => {
          cases++;
          await expectRefused(await raw(kit, JSON.stringify(value), 'application/json'), JSON.stringify(value));
        }),
        { numRuns: RUNS },
      );
    });

    it('batches with wrong types in every field (records, jws, opening) are refused field by field', SLOW, async () => {
      const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.string(), fc.constant(null));
      const item = fc.record(
        {
          jws: fc.oneof(anyValue, fc.string({ maxLength: 300 }), fc.constant('a.b.c'), fc.constant('..')),
          opening: fc.oneof(
            anyValue,
            fc.record({ salt: anyValue, identifier: anyValue, kind: fc.oneof(anyValue, fc.constant('email')) }),
          ),
          extra: anyValue,
        },
        { requiredKeys: [] },
      );
      const batch = fc.oneof(
        fc.record({ records: fc.array(item, { maxLength: MAX_BATCH }) }),
        fc.record({ records: anyValue }),
        fc.record({ records: fc.array(item, { maxLength: 3 }), other: anyValue }),
      );
      await fc.assert(
        fc.asyncProperty(batch, async (body) => {
          cases++;
          await expectRefused(await raw(kit, JSON.stringify(body), 'application/json'), JSON.stringify(body));
        }),
        { numRuns: RUNS },
      );
    });

    it(
      'mutated signed records (any character, swapped payloads, alg none, foreign openings) are rejected, never stored',
      SLOW,
      async () => {
        const signer = await kit.signer();
        const valid = await kit.signed(signer, { email: 'mutant@example.test', prev: null });
        const [header = '', payload = '', signature = ''] = valid.jws.split('.');
        const payloadJson = JSON.parse(new TextDecoder().decode(base64urlDecode(payload))) as Record<string, unknown>;
        const b64 = (value: unknown) => base64urlEncode(utf8Encode(JSON.stringify(value)));
        const mutation = fc.oneof(
          // One character of the compact form changed, inserted or dropped.
          fc.tuple(fc.nat(), fc.constantFrom(...'AQgw_-.=')).map(([at, ch]) => {
            const i = at % valid.jws.length;
            return valid.jws.slice(0, i) + ch + valid.jws.slice(i + 1);
          }),
          fc.nat().map((at) => valid.jws.slice(0, at % valid.jws.length)),
          // A payload field replaced by an arbitrary value, under the original signature.
          fc
            .tuple(fc.constantFrom(...Object.keys(payloadJson)), fc.jsonValue({ maxDepth: 2 }))
            .map(([key, value]) => `${header}.${b64({ ...payloadJson, [key]: value })}.${signature}`),
          // A header claiming no signature, or an HMAC the attacker could compute.
          fc
            .constantFrom('none', 'HS256', 'RS256', '')
            .map(
              (alg) =>
                `${b64({ ...JSON.parse(new TextDecoder().decode(base64urlDecode(header))), alg })}.${payload}.${alg === 'none' ? '' : signature}`,
            ),
          // Arbitrary segments.
          fc.tuple(fc.string(), fc.string(), fc.string()).map((parts) => parts.join('.')),
        );
        await fc.assert(
          fc.asyncProperty(mutation, fc.boolean(), async (jws, withOpening) => {
            fc.pre(jws !== valid.jws);
            cases++;
            const response = await kit.post([{ jws, ...(withOpening ? { opening: valid.opening } : {}) }]);
            await expectRefused(response, jws);
          }),
          { numRuns: RUNS },
        );
      },
    );

    it('deep nesting in the body and inside a signed payload: 400 or a rejection, no stack overflow', async () => {
      for (const depth of [100, 1_000, 10_000, 30_000]) {
        cases += 3;
        const nested = `{"records":${'['.repeat(depth)}${']'.repeat(depth)}}`;
        await expectRefused(await raw(kit, nested, 'application/json'), `array depth ${depth}`);
        const objects = `{"records":[{"jws":"a.b.c","opening":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}]}`;
        await expectRefused(await raw(kit, objects, 'application/json'), `object depth ${depth}`);
        // A well-formed JWS whose payload nests deeper than core's parser allows.
        const deepPayload = base64urlEncode(utf8Encode(`${'['.repeat(depth)}${']'.repeat(depth)}`));
        await expectRefused(
          await kit.post([{ jws: `eyJhbGciOiJFUzI1NiJ9.${deepPayload}.AAAA` }]),
          `jws depth ${depth}`,
        );
      }
    });

    it(
      'invalid UTF-8 (lone continuation bytes, overlongs, truncated sequences, surrogates) is refused',
      SLOW,
      async () => {
        const prefix = utf8Encode('{"records":[{"jws":"');
        const suffix = utf8Encode('"}]}');
        const bad = fc.oneof(
          fc.constantFrom(
            [0xff],
            [0xc3, 0x28],
            [0xe2, 0x82],
            [0xc0, 0xaf],
            [0xed, 0xa0, 0x80],
            [0xf8, 0x88, 0x80, 0x80, 0x80],
            [0x80],
          ),
          fc.uint8Array({ minLength: 1, maxLength: 64 }).map((a) => [...a]),
        );
        await fc.assert(
          fc.asyncProperty(bad, fc.boolean(), async (bytes, inside) => {
            cases++;
            const body = inside ? new Uint8Array([...prefix, ...bytes, ...suffix]) : new Uint8Array(bytes);
            await expectRefused(await raw(kit, body, 'application/json'), `bytes ${bytes.join(',')}`);
          }),
          { numRuns: RUNS },
        );
      },
    );

    it('wrong content types get 415, a missing one too, whatever the body', async () => {
      const body = JSON.stringify({ records: [{ jws: seeded.jws, opening: seeded.opening }] });
      for (const type of [
        // Matched exactly, never by prefix; text/plain (the SDK's beacons) only as UTF-8.
        'application/jsonx',
        'application/json-patch+json',
        'text/plain; charset=iso-8859-1',
        'text/plainx',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/xml',
        'text/json',
        'application/octet-stream',
        '',
        undefined,
      ]) {
        cases++;
        // A string body would get fetch's default text/plain;charset=UTF-8: bytes carry no type at all.
        const response = await raw(kit, type === undefined ? utf8Encode(body) : body, type);
        // A body the server would accept as JSON must still be refused under another media type.
        expect(response.status, String(type)).to.equal(415);
        await expectProblem(response, String(type));
      }
      // The SDK's page-hide beacon sends the same body as text/plain: taken (a duplicate here, so nothing is written).
      cases++;
      const beacon = await raw(kit, body, 'text/plain;charset=UTF-8');
      expect(beacon.status).to.equal(200);
      expect(((await beacon.json()) as Results).results[0]).to.include({ status: 'accepted', duplicate: true });
    });

    it('oversized bodies get 413 (declared length, streamed without a length, and just past the limit)', async () => {
      const big = `{"records":[{"jws":"${'A'.repeat(MAX_BODY)}"}]}`;
      cases += 3;
      const declared = await raw(kit, big, 'application/json');
      expect(declared.status).to.equal(413);
      await expectProblem(declared, 'declared length');
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < 8; i++) controller.enqueue(utf8Encode('A'.repeat(MAX_BODY / 4)));
          controller.close();
        },
      });
      const streamed = await raw(kit, stream, 'application/json', { duplex: 'half' } as RequestInit);
      expect(streamed.status).to.equal(413);
      await expectProblem(streamed, 'streamed');
      const edge = `{"records":[{"jws":"${'A'.repeat(MAX_BODY - 20)}"}]}`;
      expect(utf8Encode(edge).length).to.be.greaterThan(MAX_BODY);
      const justOver = await raw(kit, edge, 'application/json');
      expect(justOver.status).to.equal(413);
      await expectProblem(justOver, 'just over');
    });

    it('huge batches get 413 before any record is looked at; a full batch of junk is answered record by record', async () => {
      cases += 2;
      const tooMany = Array.from({ length: MAX_BATCH + 1 }, () => ({ jws: seeded.jws }));
      const response = await kit.post(tooMany);
      expect(response.status).to.equal(413);
      expect((await expectProblem(response, 'batch')).code).to.equal('batch-too-large');
      const full = Array.from({ length: MAX_BATCH }, (_, i) => ({ jws: `x.${i}.y` }));
      const answered = await kit.post(full);
      expect(answered.status).to.equal(200);
      const { results } = (await answered.json()) as Results;
      expect(results).to.have.length(MAX_BATCH);
      expect(results.every((r) => r.status === 'rejected')).to.equal(true);
    });
  });
});
