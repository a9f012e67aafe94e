// The examples `pnpm start` serves, mounted as extra routes of the real app (in-process, PGlite):
// files under the folder and never outside it, a folder without index.html listed, and fetch
// handlers beside them.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createTestLedger, storeFactories } from '@consentkit/test-support/server';
import { createApp } from '../../packages/server/src/runtime/app.ts';
import { examplesRoutes } from './examples-routes.mjs';

let db;
let ledger;
let dir = '';
before(async () => {
  const [pglite] = storeFactories();
  db = await pglite.create();
  ledger = await createTestLedger(db.store);
  dir = mkdtempSync(join(tmpdir(), 'ck-static-'));
  writeFileSync(join(dir, 'page.html'), '<p>hello</p>');
});
after(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('serves files under the folder only, lists a folder without index.html, and mounts fetch handlers', async () => {
  const app = createApp({
    context: ledger.context,
    routes: [
      ...examplesRoutes({ dir }),
      { method: 'POST', path: '/examples/apply', handler: async (r) => new Response(`got ${await r.text()}`) },
    ],
    log: () => {},
  });
  assert.equal(await (await app.request('/examples/page.html')).text(), '<p>hello</p>');
  assert.match(await (await app.request('/examples/')).text(), /href="\/examples\/page\.html"/);
  assert.equal((await app.request('/examples/..%2f..%2fetc%2fpasswd')).status, 404);
  const posted = await app.request('/examples/apply', { method: 'POST', body: 'form' });
  assert.equal(await posted.text(), 'got form');
});
