import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { createTestLedger, storeFactories, type TestLedger, type TestStore } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { createApp } from '../runtime/app.js';
import { resolveWidgetDist } from './widget-assets.js';

// GET /assets/*: the widget's drop-in the hosted pages load, and nothing else from that folder.

describe('the widget drop-in under /assets/', () => {
  let db: TestStore;
  let t: TestLedger;
  let dir = '';
  before(async () => {
    const [pglite] = storeFactories();
    if (!pglite) throw new Error('no store');
    db = await pglite.create();
    t = await createTestLedger(db.store);
    dir = mkdtempSync(join(tmpdir(), 'ck-assets-'));
    writeFileSync(join(dir, 'consentkit.js'), 'export const dropIn = 1;');
    writeFileSync(join(dir, 'consentkit-preferences-a1b2c3.js'), 'export const chunk = 1;');
    writeFileSync(join(dir, 'index.js'), 'export const notTheDropIn = 1;');
    mkdirSync(join(dir, 'types'));
  });
  after(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const appWith = (assetDir: string | undefined) =>
    createApp({ context: t.context, widgetAssets: { dir: assetDir }, log: () => {} });

  it('serves consentkit.js and its chunks as JavaScript, with nosniff', async () => {
    const app = appWith(dir);
    const main = await app.request('/assets/consentkit.js');
    expect(main.status).to.equal(200);
    expect(main.headers.get('content-type')).to.equal('text/javascript; charset=utf-8');
    expect(main.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(await main.text()).to.equal('export const dropIn = 1;');
    expect((await app.request('/assets/consentkit-preferences-a1b2c3.js')).status).to.equal(200);
  });

  it('answers 404 for any other file, a folder, a path outside it, and lists nothing', async () => {
    const app = appWith(dir);
    for (const path of ['/assets/index.js', '/assets/types', '/assets/', '/assets', '/assets/..%2fconsentkit.js']) {
      const response = await app.request(path);
      expect(response.status, path).to.equal(404);
      expect(await response.text(), path).to.not.include('consentkit-preferences');
    }
  });

  it('says how to build the bundle when it is missing', async () => {
    const response = await appWith(join(dir, 'nothing-here')).request('/assets/consentkit.js');
    expect(response.status).to.equal(404);
    expect(await response.text()).to.include('pnpm build');
  });

  it('finds the widget package’s dist/ through the @consentkit/widget package', () => {
    expect(resolveWidgetDist()).to.match(new RegExp(`${['packages', 'widget', 'dist'].join(`\\${sep}`)}$`));
  });
});
