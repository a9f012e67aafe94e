// The demo form's attest key `pnpm start` keeps in the data folder (start/demo-attest-key.mjs), on
// a real PGlite store: made once with scope attest and kept 0600; the same key on the next start;
// a new one when the ledger no longer knows the kept one; none when it was revoked.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { storeFactories } from '@consentkit/test-support/server';
import { findApiKey, revokeApiKey } from '../../packages/server/src/access/api-keys.ts';
import { migrate } from '../../packages/server/src/platform/store/migrate.ts';
import { DEMO_KEY_FILE, demoAttestKey } from './demo-attest-key.mjs';

let db;
let dataDir = '';
before(async () => {
  const [pglite] = storeFactories();
  db = await pglite.create();
  await migrate(db.store);
  dataDir = mkdtempSync(join(tmpdir(), 'ck-demo-key-'));
});
after(async () => {
  await db?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('first start: a key of scope attest, kept 0600 in the data folder; the next start reuses it', async () => {
  const first = await demoAttestKey({ store: db.store, dataDir });
  assert.equal(first.created, true);
  assert.equal(first.file, join(dataDir, DEMO_KEY_FILE));
  assert.equal(readFileSync(first.file, 'utf8').trim(), first.key);
  assert.equal(statSync(first.file).mode & 0o777, 0o600);
  assert.equal((await findApiKey(db.store, first.key))?.scope, 'attest');

  const again = await demoAttestKey({ store: db.store, dataDir });
  assert.deepEqual(again, { key: first.key, file: first.file, created: false });
});

test('a kept key this ledger does not know (a fresh database) is replaced, still 0600', async () => {
  const file = join(dataDir, DEMO_KEY_FILE);
  writeFileSync(file, 'ck_not-a-key-of-this-ledger\n', { mode: 0o644 });
  const replaced = await demoAttestKey({ store: db.store, dataDir });
  assert.equal(replaced.created, true);
  assert.notEqual(replaced.key, 'ck_not-a-key-of-this-ledger');
  assert.equal(readFileSync(file, 'utf8').trim(), replaced.key);
  assert.equal(statSync(file).mode & 0o777, 0o600);
});

test('a kept key the operator revoked stays revoked: no key, and the reason says what to do', async () => {
  const { key } = await demoAttestKey({ store: db.store, dataDir });
  const info = await findApiKey(db.store, key);
  assert.equal(await revokeApiKey(db.store, info.id), true);
  const outcome = await demoAttestKey({ store: db.store, dataDir });
  assert.equal(outcome.key, undefined);
  assert.match(outcome.reason, /revoked; delete that file to make a new one/);
  assert.equal(readFileSync(join(dataDir, DEMO_KEY_FILE), 'utf8').trim(), key, 'the file is left as it was');
});
