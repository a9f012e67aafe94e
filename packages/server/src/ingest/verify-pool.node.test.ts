import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { createTestSigner } from '@consentkit/test-support/keys';
import { testPolicy } from '@consentkit/test-support/policy';
import { signedRecord } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { createKeyCache } from './record-verifier.js';
import { createVerifyPool } from './verify-pool.js';

/** One signature character changed (not the last, whose spare bits core's decoder also checks). */
const tamper = (jws: string) => {
  const at = jws.length - 10;
  return `${jws.slice(0, at)}${jws[at] === 'A' ? 'B' : 'A'}${jws.slice(at + 1)}`;
};

async function batch(n: number): Promise<string[]> {
  const signer = await createTestSigner();
  const out: string[] = [];
  let prev: string | null = null;
  for (let i = 0; i < n; i++) {
    const signed = await signedRecord({ signer, policy: testPolicy(), prev });
    prev = signed.digest;
    out.push(signed.jws);
  }
  return out;
}

describe('verify pool', () => {
  it('answers a batch in the workers exactly as in place: a bad record among good ones is refused alone, in its place', async () => {
    const jws = await batch(24);
    jws[7] = tamper(jws[7] as string);
    jws[15] = 'not-a-jws';
    const pool = createVerifyPool({ keys: createKeyCache(), threads: 2 });
    const inPlace = createVerifyPool({ keys: createKeyCache(), threads: 0 });
    try {
      const results = await pool.check(jws);
      expect(pool.counts()).to.deep.equal({ inWorkers: 24, inPlace: 0 });
      expect(results).to.deep.equal(await inPlace.check(jws));
      expect(inPlace.counts()).to.deep.equal({ inWorkers: 0, inPlace: 24 });
      expect(results.map((r) => (r.ok ? 'ok' : r.code))).to.deep.equal(
        jws.map((_, i) => (i === 7 ? 'invalid-signature' : i === 15 ? 'invalid-record' : 'ok')),
      );
      const bad = results[7];
      if (bad?.ok !== false) throw new Error('expected a refusal');
      expect(bad.reason).to.match(/signature/);
    } finally {
      await pool.close();
      await inPlace.close();
    }
  });

  it('checks a small batch in place (one capture waits for no thread)', async () => {
    const pool = createVerifyPool({ keys: createKeyCache(), threads: 2, inlineBelow: 8 });
    try {
      const results = await pool.check(await batch(3));
      expect(results.every((r) => r.ok)).to.equal(true);
      expect(pool.counts()).to.deep.equal({ inWorkers: 0, inPlace: 3 });
    } finally {
      await pool.close();
    }
  });

  it('close() answers every record still in flight, once, and later batches are checked in place', async () => {
    const jws = await batch(40);
    jws[3] = tamper(jws[3] as string);
    const pool = createVerifyPool({ keys: createKeyCache(), threads: 2 });
    const pending = pool.check(jws);
    await pool.close();
    const results = await pending;
    expect(results).to.have.length(40);
    expect(results.map((r) => r.ok)).to.deep.equal(jws.map((_, i) => i !== 3));
    const { inWorkers, inPlace } = pool.counts();
    expect(inWorkers + inPlace).to.equal(40);
    const later = await pool.check(jws.slice(0, 20));
    expect(later.map((r) => r.ok)).to.deep.equal(jws.slice(0, 20).map((_, i) => i !== 3));
    expect(pool.counts().inPlace).to.equal(inPlace + 20);
  });

  it('never holds a process open: a program that uses the pool and never closes it exits by itself', async () => {
    const jws = await batch(16);
    const program = `
      const { createVerifyPool } = await import(${JSON.stringify(new URL('./verify-pool.ts', import.meta.url).href)});
      const { createKeyCache } = await import(${JSON.stringify(new URL('./record-verifier.ts', import.meta.url).href)});
      const pool = createVerifyPool({ keys: createKeyCache(), threads: 2 });
      const results = await pool.check(JSON.parse(process.env.JWS));
      console.log(JSON.stringify({ ok: results.filter((r) => r.ok).length, ...pool.counts() }));
    `;
    // A file, not -e: workers inherit the parent's flags, and -e is not one a worker takes.
    const dir = mkdtempSync(join(tmpdir(), 'ck-verify-pool-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'program.mjs'), program);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=@consentkit/source', join(dir, 'program.mjs')],
      {
        env: { ...process.env, JWS: JSON.stringify(jws) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      err += chunk;
    });
    // No timer of its own: a pool that held the process open would leave this test waiting until
    // the runner's per-test timeout fails it.
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, err).to.equal(0);
    expect(JSON.parse(out.trim())).to.deep.equal({ ok: 16, inWorkers: 16, inPlace: 0 });
  });
});
