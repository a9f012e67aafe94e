/**
 * The README's one-tag snippet, verbatim, on a site on another origin than the ledger (another
 * port is another origin): the snippet is read from README.md itself at run time, and only the
 * address the README says to replace is replaced, by the test ledger's. A person types an email,
 * ticks the partner-sharing box with a real click and submits; the site's handler gets the record
 * id and the ledger holds that record. The browser's own view of /assets/ is checked too: the
 * CORS and CORP headers, the entry's revalidation and the chunk's year-long cache, and the SRI
 * value `consentkit snippet` prints (accepted as printed, refused when it does not match).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cli } from '@consentkit/test-support/server';
import { expect } from 'chai';
import type { HTTPResponse, Page } from 'puppeteer-core';
import { expectAccessible } from './axe.js';
import {
  type BrowserName,
  type E2EBrowser,
  eventually,
  launchBrowser,
  startWithBrowser,
  waitForElements,
} from './browsers.js';
import { ensureDropIn } from './drop-in.js';
import { ROOT, readBody, startLedger, type TestLedger, WIDGET_DIST } from './ledger.js';

/** The web developers' snippet from README.md and the address the README says to replace in it. */
export function readmeSnippet(): { html: string; placeholder: string } {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Web developers'));
  const html = /```html\n([\s\S]*?)```/.exec(section)?.[1];
  // The sentence under the snippet that names what to replace.
  const placeholder =
    /`(https?:\/\/[^`]+)` is the ledger `pnpm start` runs: on your site, write your ledger's address/.exec(
      section,
    )?.[1];
  if (!html || !placeholder) throw new Error("README.md's web developers section lost its snippet or its instruction");
  return { html, placeholder };
}

/** A page of the site around `body` (a full document: the snippet is a fragment). */
const page = (title: string, body: string, head = '', lang = 'en') => `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
${head}
</head>
<body>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>`;

type Site = {
  readonly origin: string;
  /** Form posts the site's /apply handler received (its fields). */
  readonly applications: URLSearchParams[];
  close(): Promise<void>;
};

/** The other site: the README page, an SRI page per integrity value, and the form's handler. */
async function startSite(pages: {
  readme(): string;
  sri(integrity: string): string;
  japanese(): string;
}): Promise<Site> {
  const applications: URLSearchParams[] = [];
  const send = (res: ServerResponse, html: string) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(html);
  };
  const server: Server = createServer((req: IncomingMessage, res) => {
    const url = new URL(req.url ?? '/', 'http://site.test');
    if (req.method === 'GET' && url.pathname === '/') return send(res, pages.readme());
    if (req.method === 'GET' && url.pathname === '/ja') return send(res, pages.japanese());
    if (req.method === 'GET' && url.pathname === '/sri')
      return send(res, pages.sri(url.searchParams.get('integrity') ?? ''));
    if (req.method === 'POST' && url.pathname === '/apply') {
      void readBody(req).then((body) => {
        applications.push(new URLSearchParams(body.toString('utf8')));
        send(res, page('Application received', '<p>Thank you.</p>'));
      });
      return;
    }
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    applications,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The responses of the page for the ledger's /assets/, by file name, as the browser received them. */
function watchAssets(target: Page, ledgerUrl: string): Map<string, HTTPResponse> {
  const seen = new Map<string, HTTPResponse>();
  target.on('response', (response) => {
    const url = response.url();
    if (url.startsWith(`${ledgerUrl}/assets/`)) seen.set(url.slice(`${ledgerUrl}/assets/`.length), response);
  });
  return seen;
}

function expectCrossOriginHeaders(response: HTTPResponse | undefined, file: string): Record<string, string> {
  expect(response, `the browser fetched ${file} from the ledger`).to.not.equal(undefined);
  const headers = response?.headers() ?? {};
  expect(headers['access-control-allow-origin'], file).to.equal('*');
  expect(headers['cross-origin-resource-policy'], file).to.equal('cross-origin');
  expect(headers.vary, file).to.equal('Accept-Encoding');
  return headers;
}

export function describeDropInCrossOrigin(name: BrowserName): void {
  describe(`the README's drop-in snippet on another origin, in ${name}`, { concurrency: false }, () => {
    const snippet = readmeSnippet();
    let ledger: TestLedger;
    let browser: E2EBrowser;
    let site: Site;
    let ledgerUrl = '';
    // What `consentkit snippet` printed (the SRI test sets them before it opens the page).
    let snippetTags = '';
    let integrity = '';

    before(async () => {
      await ensureDropIn();
      // The site first: the ledger must list its origin in CONSENTKIT_CORS_ORIGINS, as the README says.
      site = await startSite({
        // Only the address the README names is replaced; the rest is the README's text as it is.
        readme: () => page('Apply', snippet.html.replaceAll(snippet.placeholder, ledgerUrl)),
        sri: (integrity) =>
          page(
            'Pinned',
            `${snippetTags.replace(/integrity="[^"]*"/, `integrity="${integrity}"`)}\n<consent-checkbox name="x" purpose="marketing">Do not send me marketing emails</consent-checkbox>`,
            // A module script refused by its integrity fires `error` on its element (it does not bubble).
            // Only script elements count: Firefox at times fires `error` at the record chunk's
            // `<link rel=modulepreload>` although the chunk loads (the elements import it anyway).
            '<script>window.scriptErrors = 0; document.addEventListener("error", (e) => { if (e.target instanceof HTMLScriptElement) window.scriptErrors++; }, true);</script>',
          ),
        // The same snippet on a Japanese page under a strict CSP: scripts from the ledger only, no
        // inline script or style, requests to the ledger only.
        japanese: () =>
          page(
            'お申し込み',
            snippet.html.replaceAll(snippet.placeholder, ledgerUrl),
            `<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src ${ledgerUrl}; connect-src ${ledgerUrl}; style-src 'self'; object-src 'none'; base-uri 'none'">`,
            'ja',
          ),
      });
      [ledger, browser] = await startWithBrowser(
        startLedger({ env: { CONSENTKIT_CORS_ORIGINS: site.origin } }),
        launchBrowser(name),
      );
      ledgerUrl = ledger.url;
    });

    after(async () => {
      await browser?.close();
      await site?.close();
      await ledger?.stop();
    });

    async function freshPage(): Promise<Page> {
      const context = await browser.browser.createBrowserContext();
      const opened = await context.newPage();
      opened.once('close', () => void context.close().catch(() => {}));
      return opened;
    }

    it('the snippet as written: a real click on the box and a submit put the record in the ledger', async () => {
      expect(snippet.html, 'the README snippet loads the drop-in from the ledger').to.include(
        `<script type="module" src="${snippet.placeholder}/assets/consentkit.js"></script>`,
      );
      const tab = await freshPage();
      const assets = watchAssets(tab, ledger.url);
      try {
        await tab.goto(`${site.origin}/`, { waitUntil: 'load' });
        await waitForElements(tab, ['consent-config', 'consent-checkbox', 'consent-notice']);
        // The policy came from the ledger across origins: the boxes took their modes from it.
        await tab.waitForFunction(
          () =>
            (document.querySelector('consent-checkbox[name="partners"]') as { effectiveMode?: string } | null)
              ?.effectiveMode === 'express' &&
            (document.querySelector('consent-checkbox[name="no-marketing"]') as { effectiveMode?: string } | null)
              ?.effectiveMode === 'opt-out',
          { timeout: 15_000 },
        );
        await expectAccessible(tab, `the README snippet on ${site.origin}`);

        const entry = expectCrossOriginHeaders(assets.get('consentkit.js'), 'consentkit.js');
        expect(entry['cache-control']).to.equal('public, no-cache');
        expect(entry.etag).to.match(/^"[\w-]+"$/);
        // Precompressed at build time; browsers ask for brotli only over HTTPS, gzip here.
        expect(['br', 'gzip']).to.include(entry['content-encoding']);

        const email = `cross-origin-${name}-${Date.now()}@example.com`;
        await tab.type('input[name="email"]', email);
        await tab.click('consent-checkbox[name="partners"]');
        await tab.waitForFunction(
          () => (document.querySelector('consent-checkbox[name="partners"]') as { checked?: boolean } | null)?.checked,
          { timeout: 5_000 },
        );
        await Promise.all([tab.waitForNavigation({ waitUntil: 'load', timeout: 20_000 }), tab.click('button')]);
        expect(await tab.$eval('h1', (h) => h.textContent)).to.equal('Application received');

        const posted = site.applications.find((form) => form.get('email') === email);
        const recordId = posted?.get('consentkit-record') ?? '';
        expect(recordId, 'the site received the record id with the form').to.match(/^[0-9a-f-]{36}$/);
        const held = await eventually(
          async () => (await ledger.recordsOf(email)).find((r) => r.recordId === recordId),
          `the ledger never received record ${recordId} from ${site.origin}`,
          30_000,
        );
        const decisions = held.record.decisions;
        expect(decisions.find((d) => d.purpose === 'partner-sharing')).to.include({ granted: true, basis: 'express' });
        expect(decisions.find((d) => d.purpose === 'application-processing')).to.include({
          granted: true,
          basis: 'implied',
        });
        expect(held.record.collectionPoint.url ?? '', 'the record names the site, not the ledger').to.include(
          site.origin,
        );
      } finally {
        await tab.close();
      }
    });

    it('the lazily imported chunk loads across origins, cached a year as immutable', async () => {
      const chunk = readdirSync(WIDGET_DIST).find((f) => /^consentkit-consent-preferences-[\w-]+\.js$/.test(f));
      expect(chunk, 'the drop-in has its lazy chunk').to.be.a('string');
      const tab = await freshPage();
      const assets = watchAssets(tab, ledger.url);
      try {
        await tab.goto(`${site.origin}/`, { waitUntil: 'load' });
        // A dynamic import is a CORS request: it fails unless the ledger allows this origin.
        const loaded = await tab.evaluate(
          async (url: string) => Object.keys(await import(url)).length > 0,
          `${ledger.url}/assets/${chunk}`,
        );
        expect(loaded).to.equal(true);
        const headers = expectCrossOriginHeaders(assets.get(chunk ?? ''), chunk ?? '');
        expect(headers['cache-control']).to.equal('public, max-age=31536000, immutable');
      } finally {
        await tab.close();
      }
    });

    it('a Japanese page under a strict CSP loads its one string table across origins, cached as immutable', async () => {
      const tab = await freshPage();
      const assets = watchAssets(tab, ledger.url);
      await tab.evaluateOnNewDocument(() => {
        const seen: string[] = [];
        (window as unknown as { cspViolations: string[] }).cspViolations = seen;
        document.addEventListener('securitypolicyviolation', (e) =>
          seen.push(`${e.violatedDirective} ${e.blockedURI}`),
        );
      });
      try {
        await tab.goto(`${site.origin}/ja`, { waitUntil: 'load' });
        await waitForElements(tab, ['consent-config', 'consent-checkbox']);
        // The express box's withdrawal hint is the element's own text: Japanese once the table is in.
        await tab.waitForFunction(
          () =>
            document.querySelector('consent-checkbox[name="partners"]')?.shadowRoot?.querySelector('[part="hint"]')
              ?.textContent === '同意はいつでも撤回できます。',
          { timeout: 15_000 },
        );
        const tables = [...assets.keys()].filter((file) => file.startsWith('consentkit-locale-'));
        expect(tables, 'only the page language is loaded').to.have.length(1);
        expect(tables[0]).to.match(/^consentkit-locale-ja-[\w-]+\.js$/);
        const headers = expectCrossOriginHeaders(assets.get(tables[0] ?? ''), tables[0] ?? '');
        expect(headers['cache-control']).to.equal('public, max-age=31536000, immutable');
        expect(
          await tab.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations),
        ).to.deep.equal([]);
        await expectAccessible(tab, `the README snippet in Japanese on ${site.origin}`);
      } finally {
        await tab.close();
      }
    });

    it('the integrity value consentkit snippet prints is the one the browser accepts; another is refused', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'ck-snippet-e2e-'));
      try {
        const printed = await cli(['snippet', '--json', '--public-url', ledger.url, '--data-dir', dataDir]);
        expect(printed.code, printed.err).to.equal(0);
        ({ html: snippetTags, integrity } = JSON.parse(printed.out) as { html: string; integrity: string });
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
      expect(snippetTags).to.include('crossorigin="anonymous"').and.to.include(`integrity="${integrity}"`);

      const pinned = await freshPage();
      try {
        await pinned.goto(`${site.origin}/sri?${new URLSearchParams({ integrity })}`, { waitUntil: 'load' });
        await waitForElements(pinned, ['consent-checkbox', 'consent-config']);
        expect(await pinned.evaluate(() => (window as unknown as { scriptErrors: number }).scriptErrors)).to.equal(0);
      } finally {
        await pinned.close();
      }

      // The hash of other bytes (a stale value after a rebuild): the browser refuses the file.
      const wrong = `sha384-${Buffer.from(new Uint8Array(48).fill(7)).toString('base64')}`;
      const refused = await freshPage();
      try {
        await refused.goto(`${site.origin}/sri?${new URLSearchParams({ integrity: wrong })}`, { waitUntil: 'load' });
        await refused.waitForFunction(() => (window as unknown as { scriptErrors: number }).scriptErrors > 0, {
          timeout: 15_000,
        });
        expect(await refused.evaluate(() => customElements.get('consent-checkbox') === undefined)).to.equal(true);
      } finally {
        await refused.close();
      }
    });
  });
}
