import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ConfigError, loadConfig, resolveMasterKey } from './config.js';

const problemsOf = (fn: () => unknown): readonly string[] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  it('has working defaults (PGlite folder, AllStream policy, port 8787)', () => {
    const config = loadConfig({ env: {}, argv: [], cwd: '/srv/app' });
    expect(config).to.include({
      dataDir: '/srv/app/.consentkit/data',
      port: 8787,
      policyFile: '/srv/app/examples/policies/allstream.json',
    });
    expect(config.databaseUrl).to.equal(undefined);
  });

  it('lets flags override the environment', () => {
    const config = loadConfig({
      env: { PORT: '9000', CONSENTKIT_CORS_ORIGINS: 'https://a.example, https://b.example' },
      argv: ['--port=9100'],
    });
    expect(config.port).to.equal(9100);
    expect(config.corsOrigins).to.deep.equal(['https://a.example', 'https://b.example']);
  });

  it('reports every problem at once, naming the variable and the flag', () => {
    const problems = problemsOf(() =>
      loadConfig({
        env: {
          DATABASE_URL: 'mysql://x',
          PORT: 'eighty',
          CONSENTKIT_MASTER_KEY: 'short',
          CONSENTKIT_CORS_ORIGINS: 'not a url',
        },
        argv: ['--bogus'],
      }),
    );
    const text = problems.join('\n');
    expect(text).to.include('unknown option --bogus');
    expect(text).to.match(/DATABASE_URL \(--database-url\): must be a postgres/);
    expect(text).to.match(/PORT \(--port\)/);
    expect(text).to.match(/CONSENTKIT_MASTER_KEY \(--master-key\): must be 32 random bytes/);
    expect(text).to.match(/CONSENTKIT_CORS_ORIGINS/);
  });

  it('requires a master key and a public URL in production', () => {
    const text = problemsOf(() => loadConfig({ env: { NODE_ENV: 'production' } })).join('\n');
    expect(text).to.include('CONSENTKIT_MASTER_KEY (--master-key): required when NODE_ENV=production');
    expect(text).to.include('PUBLIC_URL');
  });

  it('holds 2^24 leaves of proof nodes by default; CONSENTKIT_PROOF_CACHE_LEAVES sets it, a bad value names the variable — R73', () => {
    expect(loadConfig({ env: {} }).proofCacheLeaves).to.equal(2 ** 24);
    expect(loadConfig({ env: { CONSENTKIT_PROOF_CACHE_LEAVES: '0' } }).proofCacheLeaves).to.equal(0);
    expect(loadConfig({ env: {}, argv: ['--proof-cache-leaves', '100000000'] }).proofCacheLeaves).to.equal(1e8);
    for (const bad of ['lots', '-1', '1.5', String(2 ** 31)]) {
      const text = problemsOf(() => loadConfig({ env: { CONSENTKIT_PROOF_CACHE_LEAVES: bad } })).join('\n');
      expect(text, bad).to.match(
        /^CONSENTKIT_PROOF_CACHE_LEAVES \(--proof-cache-leaves\): must be a whole number of leaves from 0/,
      );
    }
  });

  it('a flag without a value is an error, not a silent default', () => {
    expect(problemsOf(() => loadConfig({ env: {}, argv: ['--port'] }))).to.deep.equal(['--port needs a value']);
  });
});

describe('resolveMasterKey', () => {
  it('outside production generates a key once in the data folder (0600) and warns', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ck-config-'));
    try {
      const first = resolveMasterKey({ dataDir: dir, production: false });
      expect(first.warning).to.match(/CONSENTKIT_MASTER_KEY/);
      expect(statSync(join(dir, 'master.key')).mode & 0o777).to.equal(0o600);
      const second = resolveMasterKey({ dataDir: dir, production: false });
      expect(Buffer.from(second.key).equals(Buffer.from(first.key))).to.equal(true);
      expect(readFileSync(join(dir, 'master.key'), 'utf8').trim()).to.have.length(43);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
