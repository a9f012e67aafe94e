// Security of the hosted pages on the real app and a real PGlite database (R41, R42, C5, C10): hostile policy text, locales and query strings are inert on every page
// and the CSP allows no inline script; every bad token (forged, altered, expired, other scope,
// other key, unknown person) gets one byte-identical 404; GET, HEAD and link prefetch change
// nothing; the preference form refuses posts without its CSRF field.
import { after, before, describe, it } from 'node:test';
import { createTokenCodec } from '@consentkit/core';
import { parsePolicy } from '@consentkit/core/schema';
import { fuzzRuns } from '@consentkit/test-support/fuzz';
import { createLedgerKit, type LedgerKit, type LedgerPerson, READ_AUDIT_TABLES } from '@consentkit/test-support/server';
import { expect } from 'chai';
import fc from 'fast-check';
import { LOCALES } from '../../src/platform/i18n/locale.js';
import { GLOBE_ICON } from '../../src/platform/pages/layout.js';
import { hostedPolicy } from '../support/hosted-policy.js';

const SCRIPT = `<script>alert(1)</script>`;
const BREAKOUT = `"><img src=x onerror=alert(2)>`;
const SINGLE = `'><svg onload=alert(3)>`;
const HOSTILE = [
  SCRIPT,
  BREAKOUT,
  SINGLE,
  `javascript:alert(4)`,
  `</title><script>alert(5)</script>`,
  `{{7*7}}\${7*7}`,
];
const DAY = 86_400_000;

/** The AllStream-shaped test policy with hostile text in every title, description and name. */
function hostilePolicy() {
  const policy = hostedPolicy({ marketingTitle: `Marketing ${SCRIPT} ${BREAKOUT}`, organisation: `Org ${SINGLE}` });
  policy.purposes = policy.purposes.map((p, i) => ({
    ...p,
    title: { en: `${p.title.en} ${HOSTILE[i % HOSTILE.length]}`, fr: `${p.title.fr ?? ''} ${BREAKOUT}` },
    description: { en: `${HOSTILE.join(' ')}`, fr: `${SCRIPT}` },
  }));
  // The policy must still be one the server would load, or the test proves nothing.
  return parsePolicy(policy);
}

type Tag = { name: string; attrs: Map<string, string | true> };

/**
 * A small HTML tag reader (enough for our own pages): finds every start tag and its attributes
 * the way a browser tokenizer would, so an attribute value holding escaped hostile text is not
 * mistaken for markup, while text that broke out of a value shows up as a real attribute.
 */
function tagsOf(html: string): Tag[] {
  const tags: Tag[] = [];
  const re = /<([a-zA-Z][a-zA-Z0-9-]*)/g;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    const attrs = new Map<string, string | true>();
    let i = re.lastIndex;
    for (;;) {
      while (/[\s/]/.test(html[i] ?? '')) i++;
      if (i >= html.length || html[i] === '>') break;
      const nameMatch = /^[^\s/>=]+/.exec(html.slice(i));
      if (!nameMatch) break;
      const name = nameMatch[0].toLowerCase();
      i += name.length;
      while (/\s/.test(html[i] ?? '')) i++;
      if (html[i] !== '=') {
        attrs.set(name, true);
        continue;
      }
      i++;
      while (/\s/.test(html[i] ?? '')) i++;
      const quote = html[i];
      let value: string;
      if (quote === '"' || quote === "'") {
        const end = html.indexOf(quote, i + 1);
        value = html.slice(i + 1, end < 0 ? html.length : end);
        i = end < 0 ? html.length : end + 1;
      } else {
        const v = /^[^\s>]*/.exec(html.slice(i))?.[0] ?? '';
        value = v;
        i += v.length;
      }
      attrs.set(name, value);
    }
    re.lastIndex = i;
    tags.push({ name: m[1]?.toLowerCase() ?? '', attrs });
  }
  return tags;
}

/** What "inert" means for one response: checked on every page this suite renders. */
function expectInert(response: Response, html: string, label: string): void {
  const csp = response.headers.get('content-security-policy') ?? '';
  const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src')) ?? '';
  expect(csp, `${label}: CSP`).to.include("default-src 'none'");
  expect(scriptSrc, `${label}: script-src`).to.match(/'nonce-[A-Za-z0-9_-]+'/);
  expect(scriptSrc, `${label}: script-src`).to.not.include("'unsafe-inline'");
  expect(csp, `${label}: CSP`).to.not.include("'unsafe-eval'");
  const nonce = /'nonce-([A-Za-z0-9_-]+)'/.exec(scriptSrc)?.[1];
  // The language switcher's globe is the one drawing a page holds: exactly that string, once at most.
  expect(html.split(GLOBE_ICON).length, `${label}: the globe icon`).to.be.at.most(2);
  for (const tag of tagsOf(html.replace(GLOBE_ICON, ''))) {
    for (const [name, value] of tag.attrs) {
      expect(name.startsWith('on'), `${label}: <${tag.name} ${name}=…> event handler`).to.equal(false);
      if (typeof value === 'string' && ['href', 'src', 'action', 'formaction'].includes(name)) {
        expect(value.trim().toLowerCase(), `${label}: <${tag.name} ${name}>`).to.not.match(/^(javascript|data):/);
      }
    }
    // Every script is the nonce'd external widget: no inline code, no foreign nonce.
    if (tag.name === 'script') {
      expect(tag.attrs.get('nonce'), `${label}: script nonce`).to.equal(nonce);
      expect(tag.attrs.get('src'), `${label}: script src`).to.be.a('string');
    }
    expect(['img', 'svg', 'iframe', 'object', 'embed'], `${label}: <${tag.name}> from hostile text`).to.not.include(
      tag.name,
    );
  }
  // Whatever was escaped, its raw form must not appear anywhere in the document.
  for (const text of [SCRIPT, BREAKOUT, SINGLE, '</title><script>']) {
    expect(html, `${label}: raw ${text}`).to.not.include(text);
  }
  const lang = tagsOf(html)
    .find((t) => t.name === 'html')
    ?.attrs.get('lang');
  // Only a language the pages ship ever reaches the attribute (a random string can be one: "da").
  expect(LOCALES, `${label}: <html lang>`).to.include(lang);
}

describe('security: hosted pages (PGlite, real app, hostile policy)', () => {
  let kit: LedgerKit;
  let alice: LedgerPerson;

  before(async () => {
    kit = await createLedgerKit({ onDisk: true, checkpointEvery: 5, policy: hostilePolicy() });
    alice = await kit.person('alice@example.test');
  });
  after(async () => {
    expect(kit.logged, 'unexpected errors logged by the app').to.deep.equal([]);
    expect((await kit.verify()).ok).to.equal(true);
    await kit.close();
  });

  const form = (fields: Record<string, string>, headers: Record<string, string> = {}): RequestInit => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });

  describe('XSS', () => {
    it('renders hostile policy text as text on /u, /p and their POST answers, in both languages', async () => {
      const bob = await kit.person();
      const pages: Array<[string, string, RequestInit | undefined]> = [];
      for (const lang of ['en', 'fr']) {
        pages.push(
          ['GET /u marketing', `/u/${await bob.token('unsubscribe:marketing')}?lang=${lang}`, undefined],
          ['GET /u *', `/u/${await bob.token('unsubscribe:*')}?lang=${lang}`, undefined],
          ['GET /p', `/p/${await bob.token('preferences')}?lang=${lang}`, undefined],
          [
            'POST /p without CSRF',
            `/p/${await bob.token('preferences')}?lang=${lang}`,
            form({ purpose: 'marketing', granted: 'false' }),
          ],
          [
            'POST /u one-click',
            `/u/${await bob.token('unsubscribe:*')}?lang=${lang}`,
            form({ 'List-Unsubscribe': 'One-Click' }),
          ],
          ['404', `/u/not-a-token?lang=${lang}`, undefined],
        );
      }
      let escapedSeen = 0;
      for (const [label, path, init] of pages) {
        const response = await kit.request(path, init);
        const html = await response.text();
        expect(response.headers.get('content-type'), label).to.match(/^text\/html/);
        expectInert(response, html, label);
        if (html.includes('&lt;script&gt;alert(1)&lt;/script&gt;')) escapedSeen++;
      }
      // The hostile titles did reach the pages (escaped), so "inert" was tested, not assumed.
      expect(escapedSeen).to.be.greaterThan(3);
    });

    it('keeps hostile ?lang=, Accept-Language and path values out of the markup (fuzzed)', {
      timeout: Math.max(300_000, fuzzRuns({ node: 120 }) * 150),
    }, async () => {
      const token = await alice.token('preferences');
      const hostile = fc.oneof(
        fc.constantFrom(...HOSTILE, 'fr"><script>alert(1)</script>', 'en\r\nSet-Cookie: x=1', 'fr-CA;q=1,<b>'),
        fc.string({ maxLength: 40 }),
      );
      await fc.assert(
        fc.asyncProperty(hostile, fc.constantFrom('/u/', '/p/', '/u/x'), async (text, where) => {
          const path =
            where === '/p/'
              ? `/p/${token}?lang=${encodeURIComponent(text)}`
              : where === '/u/'
                ? `/u/${await alice.token('unsubscribe:marketing')}?lang=${encodeURIComponent(text)}&q=${encodeURIComponent(text)}`
                : `/u/${encodeURIComponent(text) || 'x'}?lang=${encodeURIComponent(text)}`;
          // Header values are printable ASCII; the fetch layer refuses CR/LF before the app sees them.
          const acceptLanguage = text.replace(/[^\x20-\x7e]/g, '');
          const response = await kit.request(path, { headers: { 'accept-language': acceptLanguage } });
          expect(response.status).to.be.oneOf([200, 404]);
          expectInert(response, await response.text(), `${where} ${JSON.stringify(text)}`);
          expect(response.headers.get('set-cookie')).to.equal(null);
        }),
        { numRuns: fuzzRuns({ node: 120 }) },
      );
    });
  });

  describe('tokens', () => {
    const bodyOf = async (path: string, init?: RequestInit) => {
      const response = await kit.request(path, init);
      return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
    };

    it('answers forged, altered, truncated, expired, other-scope, other-key and unknown-person tokens with one byte-identical 404', async () => {
      const { keys, currentKid } = kit.context.keyring.tokenKeys;
      const good = await alice.token('unsubscribe:marketing');
      const past = createTokenCodec({ keys, currentKid, now: () => Date.now() - 400 * DAY });
      const otherKey = createTokenCodec({ keys: { [currentKid]: new Uint8Array(32).fill(9) }, currentKid });
      const otherKid = createTokenCodec({ keys: { zz: new Uint8Array(32).fill(9) }, currentKid: 'zz' });
      const sameKey = createTokenCodec({ keys, currentKid });
      const flip = (t: string, i: number) => t.slice(0, i) + (t[i] === 'A' ? 'B' : 'A') + t.slice(i + 1);
      const bad: Record<string, string> = {
        garbage: 'x',
        'random base64url': Buffer.from(crypto.getRandomValues(new Uint8Array(60))).toString('base64url'),
        'altered first char': flip(good, 0),
        'altered middle char': flip(good, Math.floor(good.length / 2)),
        'altered last char': flip(good, good.length - 1),
        truncated: good.slice(0, -4),
        extended: `${good}AA`,
        'percent-encoded junk': '%00%27%22',
        expired: await past.issue({ subject: alice.ref, scope: 'unsubscribe:marketing', ttlDays: 60 }),
        'other key, same kid': await otherKey.issue({ subject: alice.ref, scope: 'unsubscribe:marketing' }),
        'other kid': await otherKid.issue({ subject: alice.ref, scope: 'unsubscribe:marketing' }),
        'preferences scope on /u': await alice.token('preferences'),
        'unknown purpose': await alice.token('unsubscribe:no-such-purpose'),
        'other scope': await alice.token('newsletter'),
        'unknown person': await sameKey.issue({ subject: crypto.randomUUID(), scope: 'unsubscribe:marketing' }),
      };
      for (const method of ['GET', 'POST'] as const) {
        const init = (): RequestInit | undefined =>
          method === 'POST' ? form({ 'List-Unsubscribe': 'One-Click' }) : undefined;
        const reference = await bodyOf('/u/x', init());
        expect(reference.status).to.equal(404);
        for (const [label, token] of Object.entries(bad)) {
          const answer = await bodyOf(`/u/${encodeURIComponent(token)}`, init());
          expect(answer, `${method} /u ${label}`).to.deep.equal(reference);
        }
        // The preference centre answers its bad tokens with the very same page.
        const unsubscribeOnP = await bodyOf(
          `/p/${good}`,
          method === 'POST' ? form({ purpose: 'marketing', granted: 'false' }) : undefined,
        );
        expect(unsubscribeOnP, `${method} /p with an unsubscribe token`).to.deep.equal(reference);
        const expiredP = await past.issue({ subject: alice.ref, scope: 'preferences', ttlDays: 60 });
        expect(await bodyOf(`/p/${expiredP}`, init()), `${method} /p expired`).to.deep.equal(reference);
      }
      // And the good token works, so the 404s above are refusals, not a broken route.
      expect((await kit.request(`/u/${good}`)).status).to.equal(200);
    });
  });

  describe('safe methods', () => {
    it('GET, HEAD and prefetches of every page and API change nothing, with or without Sec-GPC', async () => {
      const carol = await kit.person();
      const paths = [
        `/u/${await carol.token('unsubscribe:marketing')}`,
        `/u/${await carol.token('unsubscribe:*')}`,
        // GET /p never writes, not even a Sec-GPC: 1 visit (R42): the next POST records the signal.
        `/p/${await carol.token('preferences')}`,
        '/u/x',
        '/p/x',
        '/v1/policy',
        '/.well-known/jwks.json',
        '/.well-known/gpc.json',
        '/v1/openapi.json',
        `/v1/subjects/${carol.ref}/state`,
        `/v1/subjects/${carol.ref}/records`,
        '/v1/records',
      ];
      const auth = { authorization: 'Bearer test-admin-key-0123456789abcdef' };
      // The admin reads below are audited by design; every other table must stay as it is.
      const baseline = await kit.snapshot({ ignore: READ_AUDIT_TABLES });
      const variants: Record<string, string>[] = [
        {},
        { 'sec-gpc': '1' },
        { 'sec-purpose': 'prefetch' },
        { 'sec-purpose': 'prefetch;prerender' },
        { purpose: 'prefetch' },
        { 'x-moz': 'prefetch' },
      ];
      for (const path of paths) {
        for (const headers of variants) {
          for (const method of ['GET', 'HEAD']) {
            const response = await kit.request(path, { method, headers: { ...headers, ...auth } });
            expect(response.status, `${method} ${path}`).to.be.below(500);
          }
        }
      }
      expect(await kit.snapshot({ ignore: READ_AUDIT_TABLES })).to.deep.equal(baseline);
    });
  });

  describe('CSRF', () => {
    it("the preference form changes nothing without a valid CSRF field, with another page's field, or from another site", async () => {
      const dave = await kit.person();
      const path = `/p/${await dave.token('preferences')}`;
      const page = await (await kit.request(path)).text();
      const field = tagsOf(page)
        .find((t) => t.name === 'input' && t.attrs.get('name') === 'csrf')
        ?.attrs.get('value');
      expect(field, 'the page carries a CSRF field').to.be.a('string');
      const otherPage = await (await kit.request(`/p/${await alice.token('preferences')}`)).text();
      const othersField = tagsOf(otherPage)
        .find((t) => t.name === 'input' && t.attrs.get('name') === 'csrf')
        ?.attrs.get('value');
      const baseline = await kit.snapshot();
      const attempts: Array<[string, Record<string, string>, Record<string, string>]> = [
        ['no field', { purpose: 'marketing', granted: 'false' }, {}],
        ['empty field', { purpose: 'marketing', granted: 'false', csrf: '' }, {}],
        [
          'forged field',
          { purpose: 'marketing', granted: 'false', csrf: `${Math.floor(Date.now() / 1000)}.${'A'.repeat(43)}` },
          {},
        ],
        ["another person's field", { purpose: 'marketing', granted: 'false', csrf: String(othersField) }, {}],
        [
          'cross-site with a valid field',
          { purpose: 'marketing', granted: 'false', csrf: String(field) },
          { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
        ],
      ];
      for (const [label, fields, headers] of attempts) {
        const response = await kit.request(path, form(fields, headers));
        expect(response.status, label).to.equal(403);
        expectInert(response, await response.text(), label);
      }
      expect(await kit.snapshot(), 'a refused form wrote something').to.deep.equal(baseline);
      // The same form with its own field works, so the 403s are the CSRF check and nothing else.
      const ok = await kit.request(path, form({ purpose: 'marketing', granted: 'false', csrf: String(field) }));
      expect(ok.status).to.equal(200);
      expect(await kit.snapshot()).to.not.deep.equal(baseline);
    });
  });
});
