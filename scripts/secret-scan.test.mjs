// No secret in any browser bundle (docs/security.md: no secrets in browsers). Scans every built file under
// packages/{core,sdk,widget}/dist (bundles and their source maps, which carry the sources) for private key
// material (PEM, private JWK members), the ledger's test and development master keys, admin API
// keys, well-known token formats, and server-only configuration code that would drag secrets
// into a page. Builds the bundles with rollup first when they are missing. A self-test plants
// one secret of each kind to prove the scanner finds them (a scan that finds nothing proves
// nothing otherwise).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { expect } from 'chai';

const root = resolve(import.meta.dirname, '..');
/** Packages whose dist ships to browsers (DESIGN.md); the server's dist is Node-only. */
const BROWSER_PACKAGES = ['core', 'sdk', 'widget'];
const SCANNED = /\.(m?js|map)$/;

function filesUnder(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) filesUnder(full, out);
    else if (SCANNED.test(entry.name)) out.push(full);
  }
  return out;
}

/** Values that must never appear, whatever their encoding in the bundle. */
function knownSecrets() {
  const secrets = [];
  // The test keys every suite shares (packages/test-support/keys.ts): a master key of 32 × 0x07
  // and the admin key. Read from the source so a change there is followed here.
  const fixture = readFileSync(join(root, 'packages/test-support/keys.ts'), 'utf8');
  const apiKey = /TEST_API_KEY = '([^']+)'/.exec(fixture)?.[1];
  if (apiKey) secrets.push({ name: 'test admin API key', value: apiKey });
  const fill = /TEST_MASTER_KEY = new Uint8Array\(32\)\.fill\((\d+)\)/.exec(fixture)?.[1];
  if (fill) {
    const bytes = Buffer.alloc(32, Number(fill));
    secrets.push({ name: 'test master key (base64url)', value: bytes.toString('base64url') });
    secrets.push({ name: 'test master key (hex)', value: bytes.toString('hex') });
  }
  // The development master key `pnpm start` generates into its data folder, when there is one.
  for (const file of [join(root, '.consentkit/data/master.key')]) {
    if (existsSync(file))
      secrets.push({ name: `dev master key ${relative(root, file)}`, value: readFileSync(file, 'utf8').trim() });
  }
  // Whatever this machine is configured with.
  for (const name of ['CONSENTKIT_MASTER_KEY', 'CONSENTKIT_API_KEY']) {
    const value = process.env[name]?.trim();
    if (value && value.length >= 16) secrets.push({ name: `$${name}`, value });
  }
  return secrets;
}

const PATTERNS = [
  { name: 'PEM private key', re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/ },
  // A private JWK carries "d" (EC/OKP/RSA), RSA's CRT members, or "k" (symmetric), each a long base64url value.
  { name: 'private JWK member', re: /["']?\b(?:d|p|q|dp|dq|qi|k)["']?\s*:\s*["'][A-Za-z0-9_-]{32,}["']/ },
  {
    name: 'API key assignment',
    re: /\b(?:api[_-]?key|apikey|secret|token[_-]?key|hmac[_-]?key)["']?\s*[:=]\s*["'][A-Za-z0-9_+/=-]{16,}["']/i,
  },
  { name: 'literal bearer credential', re: /["'`]Bearer [A-Za-z0-9._~+/-]{16,}=*["'`]/ },
  // Ledger API keys (packages/server/src/access/api-keys.ts): `ck_` + 32 random bytes in base64url.
  { name: 'ConsentKit API key', re: /\bck_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/ },
  { name: 'AWS access key', re: /\bAKIA[0-9A-Z]{16}\b/ },
  { name: 'GitHub token', re: /\bgh[pousr]_[A-Za-z0-9]{36}\b/ },
  { name: 'Slack token', re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { name: 'Stripe secret key', re: /\b[rs]k_live_[A-Za-z0-9]{16,}/ },
  { name: 'Google API key', re: /\bAIza[0-9A-Za-z_-]{35}\b/ },
];

/** Server-only code in a browser bundle means its configuration (and secrets) could follow. */
const SERVER_ONLY = [
  { name: 'server master-key setting', re: /CONSENTKIT_MASTER_KEY/ },
  { name: 'server API-key setting', re: /CONSENTKIT_API_KEY/ },
  { name: 'dev master-key file', re: /master\.key/ },
  { name: 'database URL with a password', re: /postgres(?:ql)?:\/\/[^:\s"'/]+:[^@\s"']+@/ },
];

/** Every finding in `files`: which rule, which file, and the matched text (shortened). */
export function scan(files, { browser = () => true } = {}) {
  const secrets = knownSecrets();
  const findings = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const rules = [...PATTERNS, ...(browser(file) ? SERVER_ONLY : [])];
    for (const { name, re } of rules) {
      const match = re.exec(text);
      if (match) findings.push({ rule: name, file: relative(root, file), match: match[0].slice(0, 60) });
    }
    for (const { name, value } of secrets) {
      if (text.includes(value))
        findings.push({ rule: name, file: relative(root, file), match: `${value.slice(0, 6)}…` });
    }
  }
  return findings;
}

const DROP_IN = join(root, 'packages/widget/dist/consentkit.js');

function ensureBuilt() {
  const missing = BROWSER_PACKAGES.filter((p) => filesUnder(join(root, 'packages', p, 'dist')).length === 0);
  if (!existsSync(DROP_IN)) missing.push('the widget drop-in');
  if (missing.length === 0) return;
  // The bundle step of `pnpm build` (scripts/build.mjs), without its `rm -rf dist`.
  const result = spawnSync(
    process.execPath,
    ['node_modules/rollup/dist/bin/rollup', '-c', 'rollup.config.mjs', '--silent'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) throw new Error(`rollup failed while building ${missing.join(', ')}`);
}

describe('secret scan of the built bundles', () => {
  it('finds no secret and no server-only code in the browser bundles (core, sdk, widget dist)', () => {
    ensureBuilt();
    // Browser bundles only: the server's dist is Node code compiled by tsc (tests and fixtures
    // with their throwaway keys included), never served to a page.
    const files = BROWSER_PACKAGES.flatMap((p) => filesUnder(join(root, 'packages', p, 'dist')));
    const browserDirs = BROWSER_PACKAGES.map((p) => join(root, 'packages', p, 'dist'));
    // The drop-in bundle is what a page's <script> loads: it must be among the scanned files.
    expect(files.map((f) => relative(root, f))).to.include('packages/widget/dist/consentkit.js');
    const findings = scan(files, { browser: (f) => browserDirs.some((d) => f.startsWith(d)) });
    const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
    console.log(
      `[secret-scan] ${files.length} files, ${(bytes / 1024).toFixed(0)} KiB scanned, ${findings.length} findings`,
    );
    expect(findings).to.deep.equal([]);
  });

  it('self-test: finds one planted secret of each kind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ck-secret-scan-'));
    try {
      const planted = {
        'pem.js': 'const k = `-----BEGIN PRIVATE KEY-----\\nMIGHAgEA...`;',
        'ec-pem.js': 'x="-----BEGIN EC PRIVATE KEY-----"',
        'jwk.js': `const jwk = {"kty":"EC","crv":"P-256","x":"a","y":"b","d":"${'A'.repeat(43)}"};`,
        'jwk-min.js': `var j={kty:"OKP",d:"${'B'.repeat(43)}"}`,
        'hmac.js': `const key = {"kty":"oct","k":"${'C'.repeat(43)}"}`,
        'apikey.js': `fetch(u,{headers:{apiKey:"0123456789abcdef0123"}})`,
        'bearer.js': 'h.authorization="Bearer abcdefghijklmnopqrstuvwxyz012345"',
        'aws.js': 'const a = "AKIAABCDEFGHIJKLMNOP";',
        'ck.js': `const k = "ck_${'x'.repeat(43)}";`,
        'master.js': `const m = "${Buffer.alloc(32, 7).toString('base64url')}";`,
        'server.js': 'process.env.CONSENTKIT_MASTER_KEY',
        'pg.js': 'const u = "postgres://consentkit:secret@db.internal:5432/consentkit"',
        'clean.js': 'export const x = {kid:"abc", d: undefined, note: "no secrets here"};',
      };
      for (const [name, text] of Object.entries(planted)) writeFileSync(join(dir, name), text);
      const findings = scan(readdirSync(dir).map((f) => join(dir, f)));
      const flagged = new Set(findings.map((f) => f.file.split('/').pop()));
      for (const name of Object.keys(planted)) {
        expect(flagged.has(name), name).to.equal(name !== 'clean.js');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
