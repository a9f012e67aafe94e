import { createHash } from 'node:crypto';
import { createLedgerKit, type LedgerKit, type LedgerPerson } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { HOSTILE, hostedPolicy } from '../../test/support/hosted-policy.js';
import { createHostedPageRoutes } from './hosted-pages.js';

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

describe('hosted page security headers and escaping', () => {
  let kit: LedgerKit;
  let person: LedgerPerson;
  before(async () => {
    kit = await createLedgerKit({ policy: hostedPolicy({ marketingTitle: HOSTILE, organisation: HOSTILE }) });
    person = await kit.person();
  });
  after(async () => {
    await kit.close();
  });

  const pages = async () => [
    `/u/${await person.token('unsubscribe:marketing')}`,
    `/p/${await person.token('preferences')}`,
    '/u/not-a-token',
  ];

  it('R42/§13: strict CSP with a per-response nonce that matches the script, a hash that matches the style', async () => {
    const nonces = new Set<string>();
    for (const path of await pages()) {
      const res = await kit.request(path);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).to.not.include('unsafe-inline');
      expect(csp).to.not.include('unsafe-eval');
      const d = directives(csp);
      expect(d.get('default-src')).to.deep.equal(["'none'"]);
      expect(d.get('frame-ancestors')).to.deep.equal(["'none'"]);
      expect(d.get('base-uri')).to.deep.equal(["'none'"]);
      expect(d.get('form-action')).to.deep.equal(["'self'"]);
      const nonce = /'nonce-([A-Za-z0-9_-]+)'/.exec(d.get('script-src')?.join(' ') ?? '')?.[1];
      expect(nonce, path).to.be.a('string');
      nonces.add(nonce ?? '');
      const body = await res.text();
      for (const tag of body.match(/<script[^>]*>/g) ?? []) expect(tag).to.include(`nonce="${nonce}"`);
      const css = /<style>([\s\S]*?)<\/style>/.exec(body)?.[1] ?? '';
      const hash = `'sha256-${createHash('sha256').update(css).digest('base64')}'`;
      expect(d.get('style-src')).to.deep.equal([hash]);
    }
    expect(nonces.size).to.equal(3);
  });

  it('the token pages load the widget script with the nonce, and work without it (plain forms)', async () => {
    const [unsubscribe = ''] = await pages();
    const body = await (await kit.request(unsubscribe)).text();
    expect(body).to.match(/<script type="module" src="\/assets\/consentkit.js" nonce="[^"]+"><\/script>/);
    expect(body).to.include('<form method="post"');
  });

  it('R42: Referrer-Policy no-referrer, nosniff, no X-Powered-By, no-store, no Set-Cookie on every page', async () => {
    for (const path of await pages()) {
      const res = await kit.request(path);
      expect(res.headers.get('referrer-policy'), path).to.equal('no-referrer');
      expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
      expect(res.headers.get('x-powered-by')).to.equal(null);
      expect(res.headers.get('cache-control')).to.equal('no-store');
      expect(res.headers.get('set-cookie')).to.equal(null);
    }
  });

  it('hostile policy strings render as inert text on both pages', async () => {
    for (const path of (await pages()).slice(0, 2)) {
      const body = await (await kit.request(path)).text();
      expect(body, path).to.include('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(body).to.not.include('<script>alert');
      expect(body).to.not.include('<img');
      expect(body.match(/<script/g)).to.have.length(1);
    }
  });

  it('pages are accessible by construction: lang, landmarks, labelled buttons, skip link', async () => {
    const body = await (await kit.request(`/p/${await person.token('preferences')}?lang=fr`)).text();
    expect(body).to.match(/<html lang="fr" dir="ltr">/);
    expect(body).to.include('<main id="main"');
    expect(body).to.include('<header>');
    expect(body).to.include('<footer>');
    expect(body).to.include('class="skip" href="#main"');
    expect(body).to.match(/<button type="submit"[^>]*aria-label="Désactiver : /);
  });

  it('R42: an oversized POST gets a friendly 413 and changes nothing', async () => {
    const token = await person.token('unsubscribe:marketing');
    const body = new URLSearchParams({ 'List-Unsubscribe': 'One-Click', pad: 'x'.repeat(64 * 1024) });
    const res = await kit.request(`/u/${token}`, { method: 'POST', body });
    expect(res.status).to.equal(413);
    expect(res.headers.get('content-type')).to.match(/^text\/html/);
    expect(await person.transitions()).to.equal(0);
  });

  it('a failure inside the ledger gives the friendly error page, never a stack trace', async () => {
    const errors: unknown[] = [];
    const broken = createHostedPageRoutes({
      policy: kit.context.policies.current,
      // Fault injection: the real service, with one method that fails like a lost database.
      subjects: {
        ...kit.context.subjects,
        state: () => Promise.reject(new Error('connection terminated at db.ts:42')),
      },
      csrfKey: kit.csrfKey,
      onError: (e) => errors.push(e),
    });
    const res = await broken.request(`/p/${await person.token('preferences')}?lang=fr`);
    expect(res.status).to.equal(500);
    const body = await res.text();
    expect(body).to.include('Un problème est survenu');
    expect(body).to.not.include('db.ts');
    expect(res.headers.get('content-security-policy')).to.include("default-src 'none'");
    expect(errors).to.have.length(1);
  });

  it('B13/R47: /.well-known/gpc.json is {"gpc":true,"lastUpdate":"YYYY-MM-DD"} as application/json', async () => {
    const res = await kit.request('/.well-known/gpc.json');
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^application\/json/);
    const body = (await res.json()) as { gpc: unknown; lastUpdate: string };
    expect(Object.keys(body).sort()).to.deep.equal(['gpc', 'lastUpdate']);
    expect(body.gpc).to.equal(true);
    expect(body.lastUpdate).to.match(/^\d{4}-\d{2}-\d{2}$/);
    expect(new Date(`${body.lastUpdate}T00:00:00Z`).toISOString().slice(0, 10)).to.equal(body.lastUpdate);
  });
});
