import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { createTestLedger, storeFactories, type TestLedger, type TestStore } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { createApp } from '../runtime/app.js';
import { resolveWidgetDist, subresourceIntegrity } from './widget-assets.js';

// GET /assets/*: the widget's drop-in, for the hosted pages and for sites on other origins, and
// nothing else from that folder.

type Precompress = { precompress(dir: string, files: string[]): string[] };
// The widget's build step (plain .mjs without declarations), the same one its rollup build runs.
const precompressUrl = new URL('../../../widget/scripts/precompress.mjs', import.meta.url).href;

const ENTRY = 'export const dropIn = 1; // the entry, long enough to be worth compressing '.repeat(20);
const CHUNK = 'export const chunk = 1; // a lazily loaded chunk '.repeat(20);

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
    writeFileSync(join(dir, 'consentkit.js'), ENTRY);
    writeFileSync(join(dir, 'consentkit.js.map'), '{"version":3}');
    writeFileSync(join(dir, 'consentkit-preferences-a1b2c3.js'), CHUNK);
    writeFileSync(join(dir, 'index.js'), 'export const notTheDropIn = 1;');
    mkdirSync(join(dir, 'types'));
    const { precompress } = (await import(precompressUrl)) as Precompress;
    precompress(dir, ['consentkit.js', 'consentkit-preferences-a1b2c3.js']);
  });
  after(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const appWith = (assetDir: string | undefined) =>
    createApp({ context: t.context, widgetAssets: { dir: assetDir }, log: () => {} });
  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    appWith(dir).request(path, { method, headers });

  it('serves consentkit.js and its chunks as JavaScript, with nosniff', async () => {
    const main = await get('/assets/consentkit.js');
    expect(main.status).to.equal(200);
    expect(main.headers.get('content-type')).to.equal('text/javascript; charset=utf-8');
    expect(main.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(main.headers.get('content-encoding')).to.equal(null);
    expect(await main.text()).to.equal(ENTRY);
    expect((await get('/assets/consentkit-preferences-a1b2c3.js')).status).to.equal(200);
  });

  it('lets any origin load every file: ACAO * and CORP cross-origin on 200, 304, HEAD and each encoding', async () => {
    const main = await get('/assets/consentkit.js', { origin: 'https://shop.example' });
    const etag = main.headers.get('etag') ?? '';
    const answers = {
      identity: main,
      brotli: await get('/assets/consentkit.js', { 'accept-encoding': 'br' }),
      gzip: await get('/assets/consentkit.js', { 'accept-encoding': 'gzip' }),
      chunk: await get('/assets/consentkit-preferences-a1b2c3.js', { 'accept-encoding': 'gzip, br' }),
      map: await get('/assets/consentkit.js.map'),
      head: await get('/assets/consentkit.js', { 'accept-encoding': 'br' }, 'HEAD'),
      notModified: await get('/assets/consentkit.js', { 'if-none-match': etag }),
    };
    expect(answers.notModified.status).to.equal(304);
    expect(answers.head.status).to.equal(200);
    expect(answers.head.headers.get('content-encoding')).to.equal('br');
    expect(await answers.head.text()).to.equal('');
    for (const [label, response] of Object.entries(answers)) {
      expect(response.headers.get('access-control-allow-origin'), label).to.equal('*');
      expect(response.headers.get('cross-origin-resource-policy'), label).to.equal('cross-origin');
      expect(response.headers.get('vary'), label).to.equal('Accept-Encoding');
      // Public files: no credentials are ever allowed with them.
      expect(response.headers.get('access-control-allow-credentials'), label).to.equal(null);
    }
  });

  it('caches hashed chunks for a year, immutable; the entry (its name never changes) revalidates by ETag', async () => {
    const chunk = await get('/assets/consentkit-preferences-a1b2c3.js');
    expect(chunk.headers.get('cache-control')).to.equal('public, max-age=31536000, immutable');
    for (const path of ['/assets/consentkit.js', '/assets/consentkit.js.map']) {
      const entry = await get(path);
      expect(entry.headers.get('cache-control'), path).to.equal('public, no-cache');
      const etag = entry.headers.get('etag') ?? '';
      expect(etag, path).to.match(/^"[\w-]+"$/);
      const again = await get(path, { 'if-none-match': `W/${etag}, "other"` });
      expect(again.status, path).to.equal(304);
      expect(await again.text(), path).to.equal('');
      expect(again.headers.get('etag'), path).to.equal(etag);
      expect(again.headers.get('cache-control'), path).to.equal('public, no-cache');
      expect((await get(path, { 'if-none-match': '"stale"' })).status, path).to.equal(200);
    }
  });

  it('sends the copies precompressed at build time by Accept-Encoding: brotli first, then gzip, else plain', async () => {
    const brotli = await get('/assets/consentkit.js', { 'accept-encoding': 'gzip, deflate, br' });
    expect(brotli.headers.get('content-encoding')).to.equal('br');
    const brBytes = Buffer.from(await brotli.arrayBuffer());
    expect(brotliDecompressSync(brBytes).toString()).to.equal(ENTRY);
    expect(Number(brotli.headers.get('content-length')))
      .to.equal(brBytes.length)
      .and.to.be.below(ENTRY.length / 4);

    const gzip = await get('/assets/consentkit.js', { 'accept-encoding': 'gzip, br;q=0' });
    expect(gzip.headers.get('content-encoding')).to.equal('gzip');
    expect(gunzipSync(Buffer.from(await gzip.arrayBuffer())).toString()).to.equal(ENTRY);

    const plain = await get('/assets/consentkit.js', { 'accept-encoding': 'identity' });
    expect(plain.headers.get('content-encoding')).to.equal(null);
    expect(await plain.text()).to.equal(ENTRY);

    // Each representation has its own ETag: a gzip copy's tag never validates the brotli one.
    const tags = new Set([brotli, gzip, plain].map((r) => r.headers.get('etag')));
    expect(tags.size).to.equal(3);
    // A file without copies (the map here) is sent as it is, whatever the client accepts.
    const map = await get('/assets/consentkit.js.map', { 'accept-encoding': 'br, gzip' });
    expect(map.headers.get('content-encoding')).to.equal(null);
    expect(await map.text()).to.equal('{"version":3}');
  });

  it('never sends a copy older than its file (a rebuild without compression)', async () => {
    const own = mkdtempSync(join(tmpdir(), 'ck-assets-stale-'));
    try {
      writeFileSync(join(own, 'consentkit.js'), 'export const old = 1;');
      const { precompress } = (await import(precompressUrl)) as Precompress;
      precompress(own, ['consentkit.js']);
      for (const suffix of ['.br', '.gz']) utimesSync(join(own, `consentkit.js${suffix}`), 1, 1);
      writeFileSync(join(own, 'consentkit.js'), 'export const rebuilt = 2;');
      const response = await appWith(own).request('/assets/consentkit.js', {
        headers: { 'accept-encoding': 'br, gzip' },
      });
      expect(response.headers.get('content-encoding')).to.equal(null);
      expect(await response.text()).to.equal('export const rebuilt = 2;');
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });

  it('answers 404 for any other file, a copy asked for by name, a folder, a path outside it, and lists nothing', async () => {
    for (const path of [
      '/assets/index.js',
      '/assets/consentkit.js.br',
      '/assets/consentkit.js.gz',
      '/assets/types',
      '/assets/',
      '/assets',
      '/assets/..%2fconsentkit.js',
    ]) {
      const response = await get(path);
      expect(response.status, path).to.equal(404);
      expect(await response.text(), path).to.not.include('consentkit-preferences');
    }
  });

  it('says how to build the bundle when it is missing', async () => {
    const response = await appWith(join(dir, 'nothing-here')).request('/assets/consentkit.js');
    expect(response.status).to.equal(404);
    expect(await response.text()).to.include('pnpm build');
  });

  it('gives the SRI value browsers check: sha384, base64 (the Subresource Integrity specification’s example)', () => {
    expect(subresourceIntegrity(new TextEncoder().encode("alert('Hello, world.');"))).to.equal(
      'sha384-H8BRh8j48O9oYatfu5AZzq6A9RINhZO5H16dQZngK7T62em8MUt1FLm52t+eX6xO',
    );
  });

  it('finds the widget package’s dist/ through the @consentkit/widget package', () => {
    expect(resolveWidgetDist()).to.match(new RegExp(`${['packages', 'widget', 'dist'].join(`\\${sep}`)}$`));
  });
});
