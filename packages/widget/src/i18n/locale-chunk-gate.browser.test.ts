/**
 * The test runner's gate on language chunks (web-test-runner.config.mjs) holds back or fails a
 * chunk for the page that set it, and no other: a test page shares its browser with other test
 * files (wtr runs two at once), and one of those importing the language meanwhile must neither be
 * failed in this page's place nor wait on its hold. The other page here is a frame, a document of
 * its own with its own module map, in the same browser.
 */
import { expect } from 'chai';
import { gateLocaleChunk, testPage } from '../../test/support/locale-chunk-gate.js';

const SETTLE_MS = 1000;

/** How `load` settles within SETTLE_MS: 'loaded', 'failed' or 'still waiting'. */
function outcome(load: Promise<unknown>): Promise<string> {
  return Promise.race([
    load.then(
      () => 'loaded',
      () => 'failed',
    ),
    new Promise<string>((resolve) => setTimeout(() => resolve('still waiting'), SETTLE_MS)),
  ]);
}

/** Imports `url` in a new frame of this page, and how that went (see outcome). */
async function importInFrame(url: string): Promise<string> {
  const frame = document.createElement('iframe');
  const reported = new Promise<string>((resolve) => {
    const listen = (event: MessageEvent): void => {
      if (event.source !== frame.contentWindow) return;
      window.removeEventListener('message', listen);
      resolve(String(event.data));
    };
    window.addEventListener('message', listen);
  });
  frame.srcdoc = `<script type="module">
    import(${JSON.stringify(url)}).then(
      (chunk) => parent.postMessage(typeof chunk.default === 'object' ? 'loaded' : 'no table', '*'),
      () => parent.postMessage('failed', '*'),
    );
  </script>`;
  document.body.append(frame);
  try {
    return await outcome(reported.then((result) => (result === 'loaded' ? result : Promise.reject(result))));
  } finally {
    frame.remove();
  }
}

/**
 * The URL this page imports `language`'s chunk by (the dev server serves the sources' `.js`
 * imports of a chunk as its `.ts`; the page's import map then names the page).
 */
function chunkUrl(language: string): URL {
  return new URL(import.meta.resolve(new URL(`./locales/${language}.ts`, import.meta.url).href));
}

/** The URL a page that names no page imports `language`'s chunk by. */
function plainUrl(language: string): string {
  const url = chunkUrl(language);
  url.search = '';
  return url.href;
}

/** The URL another test page imports `language`'s chunk by: this page's, naming that page instead. */
function otherPageUrl(language: string): string {
  const url = chunkUrl(language);
  expect(url.searchParams.get('page'), 'this page names itself in its chunk requests').to.equal(testPage());
  url.searchParams.set('page', 'another-page');
  return url.href;
}

describe('the locale chunk gate', () => {
  afterEach(async () => {
    for (const language of ['it', 'fr']) await gateLocaleChunk(language, 'release');
  });

  it('fails the chunk for the page that set it only', async () => {
    await gateLocaleChunk('it', 'fail');
    expect(await importInFrame(plainUrl('it')), 'a page that names no page').to.equal('loaded');
    expect(await importInFrame(otherPageUrl('it')), 'another test page').to.equal('loaded');
    // The failure was not used up by those: this page's own import gets it.
    expect(await outcome(import('./locales/it.js')), 'this page').to.equal('failed');
  });

  it('holds the chunk for the page that set it only', async () => {
    await gateLocaleChunk('fr', 'hold');
    expect(await importInFrame(plainUrl('fr')), 'a page that names no page').to.equal('loaded');
    expect(await importInFrame(otherPageUrl('fr')), 'another test page').to.equal('loaded');
    const own = import('./locales/fr.js');
    expect(await outcome(own), 'this page, held').to.equal('still waiting');
    await gateLocaleChunk('fr', 'release');
    expect(await outcome(own), 'this page, released').to.equal('loaded');
    expect((await own).default.preferencesTitle).to.be.a('string');
  });
});
