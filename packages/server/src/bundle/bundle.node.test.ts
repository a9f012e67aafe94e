import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base64urlDecode, base64urlEncode, canonicalize, decodeJws, signJws, utf8Decode } from '@consentkit/core';
import { createTestSigner, TEST_API_KEY } from '@consentkit/test-support/keys';
import { describeEachStore, postRecords, signedRecord, type TestLedger } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet } from 'jose';
import {
  checkInclusion,
  entryLeafInput,
  leafHashOf,
  openCheckpoint,
  parseVerifierKey,
} from '../../test/support/log-verifier.js';
import { createApiKey } from '../access/api-keys.js';
import { listAudit } from '../access/audit-log.js';
import { runCli } from '../cli/consentkit.js';
import { fromExported, hashEntry } from '../ledger/entry.js';
import type { BundleEntry, SubjectBundle } from './bundle.js';
import { verifySubjectBundle } from './bundle-verify.js';

// Access requests: a person's export as one signed bundle, from the API and from the
// preference centre, verifiable offline (our verifier, the CLI, and jose — any JOSE library).

const FAY = 'fay@example.com';
const GUS = 'gus@example.com';
const auth = { authorization: `Bearer ${TEST_API_KEY}` };

type Jwks = { keys: (Record<string, unknown> & { kid: string })[] };

async function setUp(t: TestLedger): Promise<string> {
  const signer = await createTestSigner();
  const first = await signedRecord({ signer, policy: t.policy, prev: null, email: FAY });
  const other = await signedRecord({ signer, policy: t.policy, prev: first.digest, email: GUS });
  const second = await signedRecord({
    signer,
    policy: t.policy,
    prev: other.digest,
    email: FAY,
    decisions: [{ purpose: 'marketing', granted: false, basis: 'opt-out' }],
  });
  const response = await postRecords(
    t.app,
    [first, other, second].map((r) => ({ jws: r.jws, opening: r.opening })),
  );
  expect(response.status).to.equal(200);
  const ref = (
    (await (await t.app.request(`/v1/subjects/${FAY}/state`, { headers: auth })).json()) as { subject: string }
  ).subject;
  // A record the ledger signs itself (a preference-page change): the bundle needs its key too.
  await t.context.subjects.recordServerDecision({
    subjectRef: ref,
    decisions: [{ purpose: 'marketing', granted: true }],
    method: 'preference-page',
    collectionPoint: { url: 'https://ledger.example/p', flow: 'preference-page' },
    gpc: null,
    locale: 'en',
  });
  return ref;
}

describeEachStore("a person's signed export", (s) => {
  let ref = '';
  let jwks: Jwks;
  before(async () => {
    ref = await setUp(s.t);
    jwks = (await (await s.t.app.request('/.well-known/jwks.json')).json()) as Jwks;
  });

  const exportOf = (who: string, headers: Record<string, string> = auth) =>
    s.t.app.request(`/v1/subjects/${encodeURIComponent(who)}/export`, { headers });

  it('GET /v1/subjects/{email}/export: a JWS download holding only that person’s history, audited', async () => {
    const before = (await listAudit(s.db.store)).length;
    const response = await exportOf(FAY);
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.equal('application/jose');
    expect(response.headers.get('content-disposition')).to.match(/^attachment; filename="consentkit-export-.+\.jws"$/);
    expect(response.headers.get('cache-control')).to.equal('no-store');
    const jws = await response.text();
    const bundle = JSON.parse(utf8Decode(decodeJws(jws).payload)) as SubjectBundle;
    expect(bundle.subject).to.equal(ref);
    expect(bundle.entries.map((e) => e.subjectRef)).to.deep.equal([ref, ref, ref]);
    expect(bundle.entries.map((e) => e.seq)).to.deep.equal([1, 3, 4]);
    expect(jws).to.not.include(FAY);
    expect(utf8Decode(decodeJws(jws).payload)).to.not.include(FAY);
    const audit = (await listAudit(s.db.store)).slice(before);
    expect(audit.map((a) => [a.action, a.target, a.actor])).to.deep.equal([
      ['subject.export', ref, 'config-admin-key'],
    ]);
    expect(audit[0]?.detail).to.deep.equal({ export: 'signed-bundle' });
  });

  it('verifies offline, pinned to the ledger’s published JWKS', async () => {
    const jws = await (await exportOf(ref)).text();
    const result = await verifySubjectBundle(jws, { pinnedKeys: jwks.keys as never });
    expect(result.ok, JSON.stringify(result)).to.equal(true);
    expect(result.ok && [result.entries, result.pinned, result.subject]).to.deep.equal([3, true, ref]);
  });

  it('verifies with jose alone: bundle, every record and every receipt (the documented recipe)', async () => {
    const jws = await (await exportOf(FAY)).text();
    // 1. The bundle, against the ledger's published keys.
    const ledgerKeys = createLocalJWKSet(jwks as JSONWebKeySet);
    const { payload, protectedHeader } = await compactVerify(jws, ledgerKeys, { algorithms: ['ES256', 'EdDSA'] });
    expect(protectedHeader.typ).to.equal('consentkit-export+jws');
    const bundle = JSON.parse(new TextDecoder().decode(payload)) as SubjectBundle;
    // 2. Each record, with the key its header names, from the bundle's JWKS (device keys included).
    const bundleKeys = createLocalJWKSet(bundle.jwks as unknown as JSONWebKeySet);
    for (const entry of bundle.entries) {
      const record = await compactVerify(entry.jws, bundleKeys, { algorithms: ['ES256', 'EdDSA'] });
      expect(JSON.parse(new TextDecoder().decode(record.payload)).id).to.equal(entry.recordId);
      // 3. Its receipt, by the ledger key, over this record's id, digest and place in the chain.
      const receipt = await compactVerify(entry.receipt, ledgerKeys, { algorithms: ['ES256', 'EdDSA'] });
      expect(JSON.parse(new TextDecoder().decode(receipt.payload))).to.include({
        recordId: entry.recordId,
        digest: entry.digest,
        seq: entry.seq,
        entryHash: entry.entryHash,
      });
      expect(decodeProtectedHeader(entry.receipt).typ).to.equal('consent-receipt+jws');
    }
  });

  it('answers 401 without a key, 403 for an ingest key, 404 for an unknown person (problem details)', async () => {
    expect((await exportOf(FAY, {})).status).to.equal(401);
    const ingest = await createApiKey(s.db.store, { name: 'ingest-only', scope: 'ingest' });
    const forbidden = await exportOf(FAY, { authorization: `Bearer ${ingest.key}` });
    expect(forbidden.status).to.equal(403);
    const missing = await exportOf('nobody@example.com');
    expect(missing.status).to.equal(404);
    expect(missing.headers.get('content-type')).to.equal('application/problem+json');
    expect(((await missing.json()) as { detail: string }).detail).to.match(/no such subject/);
  });

  it('the preference centre links to the download; /p/{token}/export serves it and changes no choice', async () => {
    const token = await s.t.context.subjects.issueToken({ subjectRef: ref, scope: 'preferences' });
    const page = await s.t.app.request(`/p/${token}?lang=fr`);
    const html = await page.text();
    expect(html).to.include(`href="/p/${token}/export?lang=fr"`);
    expect(html).to.include('Télécharger mes données');
    const stateBefore = await s.t.context.subjects.state(ref);
    const entriesBefore = await s.db.store.query('SELECT seq FROM ledger_entries');
    const download = await s.t.app.request(`/p/${token}/export`);
    expect(download.status).to.equal(200);
    expect(download.headers.get('content-type')).to.equal('application/jose');
    expect(download.headers.get('content-security-policy')).to.include("default-src 'none'");
    const result = await verifySubjectBundle(await download.text(), { pinnedKeys: jwks.keys as never });
    expect(result.ok && result.subject).to.equal(ref);
    expect(await s.t.context.subjects.state(ref)).to.deep.equal(stateBefore);
    expect(await s.db.store.query('SELECT seq FROM ledger_entries')).to.deep.equal(entriesBefore);
    const audit = (await listAudit(s.db.store)).at(-1);
    expect([audit?.actor, audit?.target]).to.deep.equal(['preference-page', ref]);
    // A token of another scope, or a forged one, gets the one uniform 404 page (R42).
    const unsubscribe = await s.t.context.subjects.issueToken({ subjectRef: ref, scope: 'unsubscribe:marketing' });
    for (const bad of [unsubscribe, `${token.slice(0, -2)}xx`]) {
      const response = await s.t.app.request(`/p/${bad}/export`);
      expect(response.status).to.equal(404);
      expect(response.headers.get('content-type')).to.match(/^text\/html/);
    }
  });
});

describeEachStore('verify --bundle: tampering is detected and named', (s) => {
  let jws = '';
  let jwks: Jwks;
  let dir = '';
  before(async () => {
    await setUp(s.t);
    jwks = (await (await s.t.app.request('/.well-known/jwks.json')).json()) as Jwks;
    jws = await (await s.t.app.request(`/v1/subjects/${FAY}/export`, { headers: auth })).text();
    dir = mkdtempSync(join(tmpdir(), 'ck-bundle-'));
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** The bundle with its payload changed and re-signed by the ledger's own key (a buggy or hostile server). */
  async function resigned(
    change: (b: SubjectBundle & Record<string, unknown>) => void | Promise<void>,
  ): Promise<string> {
    const bundle = JSON.parse(utf8Decode(decodeJws(jws).payload)) as SubjectBundle & Record<string, unknown>;
    await change(bundle);
    const signer = s.t.context.keyring.signer;
    return signJws({
      payload: canonicalize(bundle),
      signer,
      header: { typ: 'consentkit-export+jws', kid: signer.kid },
    });
  }

  const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

  it('any changed character of the file fails verification', async () => {
    // Flip the top bit of each base64url digit (never only padding bits), or break a separator.
    let checked = 0;
    for (let i = 0; i < jws.length; i += 1) {
      const ch = jws[i] ?? '';
      const swapped = ch === '.' ? 'A' : (ALPHABET[ALPHABET.indexOf(ch) ^ 32] ?? 'A');
      const tampered = `${jws.slice(0, i)}${swapped}${jws.slice(i + 1)}`;
      const result = await verifySubjectBundle(tampered, { pinnedKeys: jwks.keys as never });
      if (result.ok) expect.fail(`a change at character ${i} of ${jws.length} was not detected`);
      expect(result.where).to.match(/^bundle/);
      checked++;
    }
    expect(checked).to.equal(jws.length);
  });

  const inner: {
    name: string;
    change: (b: SubjectBundle & Record<string, unknown>) => void | Promise<void>;
    fault: RegExp;
  }[] = [
    {
      name: 'a receipt',
      change: (b) => {
        const e = b.entries[1] as { receipt: string };
        const parts = e.receipt.split('.');
        const claims = JSON.parse(utf8Decode(base64urlDecode(parts[1] ?? ''))) as { seq: number };
        claims.seq = 99;
        e.receipt = [parts[0], base64urlEncode(new TextEncoder().encode(JSON.stringify(claims))), parts[2]].join('.');
      },
      fault: /^entry 3 \(record .*\): receipt: .*the JWS signature does not verify/,
    },
    {
      name: 'a record',
      change: (b) => {
        const e = b.entries[0] as { jws: string };
        e.jws = `${e.jws.slice(0, -6)}${e.jws.at(-6) === 'A' ? 'Q' : 'A'}${e.jws.slice(-5)}`;
      },
      fault: /^entry 1 \(record .*\): record signature/,
    },
    {
      name: 'the chain position of an entry',
      change: (b) => {
        (b.entries[2] as { receivedAt: string }).receivedAt = '2020-01-01T00:00:00.000Z';
      },
      fault: /^entry 4 .*entryHash does not match/,
    },
    {
      name: 'the device key in the JWKS',
      change: (b) => {
        (b.jwks as { keys: unknown[] }).keys = b.jwks.keys.filter((k) => k.kid !== b.entries[0]?.kid);
      },
      fault: /^entry 1 .*lacks the record's signing key/,
    },
    {
      name: 'another person’s entry slipped in',
      change: (b) => {
        (b.entries[1] as { subjectRef: string }).subjectRef = '01900000-0000-7000-8000-000000000000';
      },
      fault: /^entry 3 .*belongs to subject 01900000/,
    },
    {
      name: 'an inclusion proof',
      change: (b) => {
        const e = b.entries[1] as unknown as { inclusion: string[] };
        const first = e.inclusion[0] ?? '';
        e.inclusion[0] = `${first.startsWith('A') ? 'B' : 'A'}${first.slice(1)}`;
      },
      fault: /^entry 3 .*the inclusion proof does not lead to the root of the checkpoint for \d+ entries/,
    },
    {
      name: 'an entry, its entryHash recomputed to match (R72: the tree still holds it)',
      change: async (b) => {
        const e = b.entries[2] as BundleEntry & { receivedAt: string; entryHash: string };
        e.receivedAt = '2020-01-01T00:00:00.000Z';
        e.entryHash = await hashEntry(e.prevHash, fromExported(e));
      },
      fault: /^entry 4 .*the inclusion proof does not lead to the root/,
    },
    {
      name: 'the checkpoint’s root',
      change: (b) => {
        const cp = b.checkpoint as { note: string };
        const lines = cp.note.split('\n');
        lines[2] = Buffer.alloc(32, 7).toString('base64');
        cp.note = lines.join('\n');
      },
      fault: /^checkpoint: the checkpoint for \d+ entries is not signed by the ledger's checkpoint key/,
    },
    {
      name: 'the inclusion proofs (removed)',
      change: (b) => {
        delete (b.entries[0] as unknown as { inclusion?: string[] }).inclusion;
      },
      fault: /^entry 1 .*no inclusion proof/,
    },
    {
      name: 'the order of entries',
      change: (b) => {
        (b as unknown as { entries: unknown[] }).entries = [b.entries[1], b.entries[0], b.entries[2]];
      },
      fault: /^entry 1 .*out of order: follows entry 3/,
    },
  ];
  for (const c of inner) {
    it(`names the fault when ${c.name} is altered, even in a bundle re-signed by the ledger key`, async () => {
      const result = await verifySubjectBundle(await resigned(c.change), { pinnedKeys: jwks.keys as never });
      expect(result.ok).to.equal(false);
      expect(!result.ok && `${result.where}: ${result.reason}`).to.match(c.fault);
    });
  }

  it('carries an inclusion proof per entry that an RFC 9162 verifier written from the spec accepts', async () => {
    const bundle = JSON.parse(utf8Decode(decodeJws(jws).payload)) as SubjectBundle;
    expect(bundle.format).to.equal('consentkit/subject-export@2');
    const key = parseVerifierKey(bundle.checkpoint?.key ?? '');
    const cp = openCheckpoint(bundle.checkpoint?.note ?? '', key.name, key.key);
    expect(cp.size).to.equal(4);
    for (const e of bundle.entries) {
      const input = entryLeafInput({
        seq: e.seq,
        record_id: e.recordId,
        kid: e.kid,
        digest: e.digest,
        jws: e.jws,
        subject_ref: e.subjectRef,
        received_at: e.receivedAt,
        prev_hash: e.prevHash,
        assurance: e.assurance ?? null,
        entry_version: e.v ?? 1,
      });
      const proof = (e.inclusion ?? []).map((h) => Buffer.from(h, 'base64'));
      expect(checkInclusion(e.seq - 1, cp.size, leafHashOf(input), proof, cp.root), `entry ${e.seq}`).to.equal(true);
    }
  });

  it('a bundle re-signed by another key under the ledger’s kid fails when the key is pinned', async () => {
    const attacker = await createTestSigner();
    const bundle = JSON.parse(utf8Decode(decodeJws(jws).payload)) as SubjectBundle;
    const kid = s.t.context.keyring.signer.kid;
    const forged = await signJws({
      payload: canonicalize({
        ...bundle,
        jwks: { keys: bundle.jwks.keys.map((k) => (k.kid === kid ? { ...attacker.publicJwk, kid } : k)) },
      }),
      signer: { ...attacker, kid },
      header: { typ: 'consentkit-export+jws', kid },
    });
    const result = await verifySubjectBundle(forged, { pinnedKeys: jwks.keys as never });
    expect(!result.ok && result.where).to.equal('bundle signature');
  });

  it('consentkit verify --bundle: exit 0 and what was checked; exit 1 naming the fault; exit 2 for usage', async () => {
    const good = join(dir, 'export.jws');
    const bad = join(dir, 'tampered.jws');
    const keys = join(dir, 'jwks.json');
    writeFileSync(good, jws);
    writeFileSync(
      bad,
      await resigned((b) => {
        (b.entries[2] as { receivedAt: string }).receivedAt = 'x';
      }),
    );
    writeFileSync(keys, JSON.stringify(jwks));
    const run = async (argv: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
      return { code, out: out.join('\n'), err: err.join('\n') };
    };
    const ok = await run(['verify', '--bundle', good, '--jwks', keys]);
    expect(ok.code, ok.err).to.equal(0);
    expect(ok.out).to.match(/^ok: export of subject .+, 3 records with their receipts, signed by ledger key/);
    expect(ok.out).to.include('pinned');
    expect(ok.out).to.match(/ok: every entry is proved in the checkpoint of 4 entries of \S+, root \S+/);
    const logKey = await (await s.t.app.request('/v1/log/key')).text();
    const pinnedLog = await run(['verify', '--bundle', good, '--jwks', keys, '--log-key', logKey.trim()]);
    expect(pinnedLog.code, pinnedLog.err).to.equal(0);
    expect(pinnedLog.out).to.not.include('pin it with --log-key');
    const otherLog = await run([
      'verify',
      '--bundle',
      good,
      '--log-key',
      logKey.replace(/\+[0-9a-f]{8}\+/, '+00000000+'),
    ]);
    expect(otherLog.code).to.equal(1);
    expect(otherLog.err).to.match(/^FAULT in checkpoint: the bundle's log key .* is not the pinned/);
    const unpinned = await run(['verify', '--bundle', good]);
    expect(unpinned.code).to.equal(0);
    expect(unpinned.out).to.include('pin it with --jwks');
    const tampered = await run(['verify', '--bundle', bad, '--jwks', keys]);
    expect(tampered.code).to.equal(1);
    expect(tampered.err).to.match(/^FAULT in entry 4 \(record .+\): entryHash does not match/);
    expect((await run(['verify', '--bundle', join(dir, 'missing.jws')])).code).to.equal(2);
  });
});
