import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base64urlEncode, canonicalize, createRecord, sha256Hex, utf8Encode } from '@consentkit/core';
import { createTestSigner } from '@consentkit/test-support/keys';
import { cli, cliTargets, seedLedger } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { loadConfig } from '../runtime/config.js';
import { openServer } from '../runtime/server.js';

// An entry an older, lenient ingest stored (a duplicate header member, non-zero trailing bits in
// the signature), written straight into the store with an intact chain: `consentkit verify`
// reports it and exits 1; `consentkit import` refuses the backup `consentkit export` makes of that
// ledger unless --keep-unverifiable, which says what it kept.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Validly signed records the strict decoder refuses, as the old fast path let them in. */
async function lenientRecords(policy: Parameters<typeof createRecord>[0]['policy']) {
  const signer = await createTestSigner();
  const made: Array<{ recordId: string; kid: string; digest: string; jws: string }> = [];
  for (const fault of ['duplicate-alg', 'signature-bits'] as const) {
    const record = await createRecord({
      subject: { kind: 'device' },
      policy,
      decisions: [{ purpose: 'marketing', granted: false, basis: 'opt-out' }],
      method: 'checkbox',
      interaction: 'pointer',
      collectionPoint: { url: 'https://allstream.example/apply', form: fault },
      locale: 'en',
      gpc: null,
      prev: made.at(-1)?.digest ?? null,
    });
    const payload = canonicalize(record);
    const header = JSON.stringify({
      alg: signer.algorithm,
      kid: signer.kid,
      typ: 'consent-record+jws',
      jwk: signer.publicJwk,
    });
    const h = base64urlEncode(utf8Encode(fault === 'duplicate-alg' ? `{"alg":"none",${header.slice(1)}` : header));
    const p = base64urlEncode(utf8Encode(payload));
    let s = base64urlEncode(await signer.sign(utf8Encode(`${h}.${p}`)));
    // 64 bytes end in a character with 4 spare low bits: set one, keeping the data bits (Buffer
    // decodes the same signature, so it still verifies there; core refuses the encoding).
    if (fault === 'signature-bits') {
      const value = ALPHABET.indexOf(s.slice(-1));
      s = `${s.slice(0, -1)}${ALPHABET[value | 1]}`;
    }
    made.push({ recordId: record.id, kid: signer.kid, digest: await sha256Hex(payload), jws: `${h}.${p}.${s}` });
  }
  return made;
}

for (const target of cliTargets('ck-cli-unverifiable-')) {
  describe(`unverifiable stored entries: verify reports them, import keeps them only when told (${target.name})`, () => {
    let flags: string[] = [];
    let drop: () => Promise<void>;
    let seqs: number[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'ck-unverifiable-'));
    const backup = join(dir, 'backup.ndjson');
    before(async () => {
      ({ flags, drop } = await target.create());
      expect(await seedLedger(flags, ['before@example.com'], { site: true })).to.deep.equal([200]);
      const opened = await openServer(loadConfig({ argv: flags, env: {} }));
      try {
        const { ledger } = opened.context;
        for (const bad of await lenientRecords(opened.context.policies.current)) {
          const entry = await ledger.withLock((tx) =>
            ledger.append(tx, { ...bad, subjectRef: null, assurance: 'device' }),
          );
          seqs.push(entry.seq);
        }
      } finally {
        await opened.close();
      }
      expect(await seedLedger(flags, ['after@example.com'], { site: true })).to.deep.equal([200]);
    });
    after(async () => {
      await drop();
      rmSync(dir, { recursive: true, force: true });
      seqs = [];
    });

    it('consentkit verify: the chain is ok, each unverifiable entry is named, exit 1', async () => {
      for (const extra of [[], ['--signatures']]) {
        const run = await cli(['verify', ...extra, ...flags]);
        expect(run.code, `${extra} ${run.err}`).to.equal(1);
        expect(run.out).to.match(/^ok: 4 entries/);
        for (const seq of seqs) expect(run.err).to.include(`UNVERIFIABLE entry ${seq} (record `);
        expect(run.err).to.include('2 stored entries are unverifiable');
      }
    });

    it('consentkit import refuses the export of that ledger, and keeps the entries with --keep-unverifiable', async () => {
      expect((await cli(['export', '--out', backup, ...flags])).code).to.equal(0);
      const refusedInto = await target.create();
      try {
        const refused = await cli(['import', backup, ...refusedInto.flags]);
        expect(refused.code).to.equal(1);
        expect(refused.err).to.include(`2 entries hold records the strict decoder refuses (first: entry ${seqs[0]}`);
        expect(refused.err).to.include('--keep-unverifiable');
        expect(refused.err).to.include('nothing was imported');

        const kept = await cli(['import', backup, '--keep-unverifiable', ...refusedInto.flags]);
        expect(kept.code, kept.err).to.equal(0);
        expect(kept.out).to.include('ok: imported 4 entries');
        for (const seq of seqs) expect(kept.err).to.include(`kept unverifiable entry ${seq} (record `);
        expect(kept.err).to.include('--keep-unverifiable: kept 2 entries');
        const verify = await cli(['verify', ...refusedInto.flags]);
        expect(verify.code).to.equal(1);
        expect(verify.err).to.include(`UNVERIFIABLE entry ${seqs[1]}`);
      } finally {
        await refusedInto.drop();
      }
    });
  });
}
