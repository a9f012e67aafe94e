// Core's primitives in Node, the ceilings under every server figure: how many records a second
// can be signed, verified, canonicalised (RFC 8785) and hashed on this machine, one call at a time
// and with calls in flight (WebCrypto runs on libuv's thread pool, so concurrency uses both cores).
import { readFileSync } from 'node:fs';
import { figure } from '../lib/figures.mjs';
import { core, POLICY_FILE } from '../lib/paths.mjs';
import { measureRate } from '../lib/rate.mjs';
import { applicationRecordInput } from '../lib/records.mjs';
import { round } from '../lib/stats.mjs';

export async function run(ctx) {
  const c = await core();
  const ms = ctx.smoke ? 50 : 1000;
  const policy = JSON.parse(readFileSync(POLICY_FILE, 'utf8'));
  const rows = [];
  const figures = [];
  const add = (id, label, value, unit = 'ops/s', target) => {
    rows.push([label, round(value)]);
    figures.push(figure({ id, label, value: round(value), unit, ...(target ? { target } : {}) }));
  };

  for (const algorithm of ['EdDSA', 'ES256']) {
    const pair = await c.generateSigningKeyPair({ algorithm });
    const signer = await c.createKeySigner({ privateKey: pair.privateKey, publicJwk: pair.publicJwk });
    const record = await c.createRecord(applicationRecordInput({ policy, subject: { kind: 'device' } }));
    const { jws } = await c.signRecord({ record, signer });
    const key = await c.importPublicJwk(pair.publicJwk);
    const decoded = c.decodeJws(jws);
    const params = algorithm === 'EdDSA' ? { name: 'Ed25519' } : { name: 'ECDSA', hash: 'SHA-256' };
    add(
      `sign:${algorithm}:1`,
      `signRecord ${algorithm}, 1 in flight`,
      await measureRate(() => c.signRecord({ record, signer }), { ms }),
      'records/s',
    );
    add(
      `sign:${algorithm}:32`,
      `signRecord ${algorithm}, 32 in flight`,
      await measureRate(() => c.signRecord({ record, signer }), { ms, concurrency: 32 }),
      'records/s',
    );
    add(
      `verifyRecord:${algorithm}:1`,
      `verifyRecord ${algorithm}, 1 in flight`,
      await measureRate(() => c.verifyRecord(jws), { ms }),
      'records/s',
    );
    add(
      `verifyRecord:${algorithm}:32`,
      `verifyRecord ${algorithm}, 32 in flight`,
      await measureRate(() => c.verifyRecord(jws), { ms, concurrency: 32 }),
      'records/s',
    );
    // The floor under verifyRecord: WebCrypto's verify with the key already imported.
    add(
      `subtle.verify:${algorithm}:32`,
      `crypto.subtle.verify ${algorithm} alone (key imported), 32 in flight`,
      await measureRate(() => crypto.subtle.verify(params, key, decoded.signature, decoded.signingInput), {
        ms,
        concurrency: 32,
      }),
      'verifications/s',
    );
    if (algorithm === 'EdDSA') {
      const text = c.canonicalize(record);
      add(
        'jcs',
        'canonicalize (RFC 8785) of a record',
        await measureRate(async () => c.canonicalize(record), { ms }),
        'records/s',
      );
      add(
        'jcs:MB',
        'canonicalize throughput',
        ((await measureRate(async () => c.canonicalize(record), { ms })) * text.length) / 1e6,
        'MB/s',
      );
      add(
        'sha256:32',
        'sha256Hex of a record (WebCrypto), 32 in flight',
        await measureRate(() => c.sha256Hex(text), { ms, concurrency: 32 }),
        'hashes/s',
      );
      const entry = {
        seq: 1,
        recordId: record.id,
        kid: signer.kid,
        digest: 'a'.repeat(64),
        jws,
        subjectRef: null,
        receivedAt: record.issuedAt,
        prevHash: c.GENESIS_HASH,
      };
      add(
        'entryHash:1',
        'chain entryHash, 1 in flight (verify walks the chain this way)',
        await measureRate(() => c.entryHash({ prevHash: c.GENESIS_HASH, entry }), { ms }),
        'entries/s',
      );
    }
  }
  return {
    method: `Each operation is run for ${ms} ms after a warm-up, on a typical form-submit record (two decisions).`,
    figures,
    tables: [{ title: 'Core primitives (Node, WebCrypto)', columns: ['operation', 'per second'], rows }],
    notes: [
      'No targets: these bound the server figures (ingest verifies one record signature each; verify checks a record signature, a receipt signature and a hash per entry).',
    ],
  };
}
