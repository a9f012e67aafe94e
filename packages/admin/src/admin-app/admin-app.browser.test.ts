import { cleanup, expectAccessible, mount, until } from '@consentkit/test-support/browser';
import { expect } from 'chai';
import { LEDGER_OK } from '../../test/support/sample-data.js';
import { type ScriptedAnswer, scriptedServer } from '../../test/support/scripted-server.js';
import { ConsentAdminApp } from './admin-app.js';

ConsentAdminApp.define();

const KEY_SLOT = 'consentkit-admin-key';

describe('<consent-admin-app>', () => {
  afterEach(() => {
    cleanup();
    sessionStorage.clear();
  });

  async function signIn(key: string, answer: ScriptedAnswer) {
    const server = scriptedServer({ '/v1/admin/ledger-status': answer });
    const el = await mount<ConsentAdminApp>('consent-admin-app', (e) => {
      e.fetcher = server.fetch;
    });
    const input = el.shadowRoot?.querySelector<HTMLInputElement>('#key');
    if (input) input.value = key;
    el.shadowRoot?.querySelector('form')?.requestSubmit();
    return { el, server };
  }

  it('shows an accessible sign-in form, replacing the no-script text (R61)', async () => {
    const el = await mount<ConsentAdminApp>('consent-admin-app', (e) => {
      e.innerHTML = '<p>needs JavaScript</p>';
    });
    expect(el.children).to.have.length(0);
    expect(el.shadowRoot?.querySelector<HTMLInputElement>('#key')?.type).to.equal('password');
    expect(el.shadowRoot?.querySelector('label[for="key"]')?.textContent).to.equal('API key');
    await expectAccessible(el);
  });

  it('refuses a key the server refuses, says why, and keeps nothing', async () => {
    const { el } = await signIn('ck_refused', {
      status: 401,
      body: { status: 401, detail: 'the API key is not valid (unknown key)' },
    });
    const alert = await until(() => el.shadowRoot?.querySelector('#login-message'), 'the message');
    expect(alert.textContent).to.equal('That key was not accepted: the API key is not valid (unknown key).');
    expect(sessionStorage.getItem(KEY_SLOT)).to.equal(null);
    expect(el.shadowRoot?.querySelector('#key')?.getAttribute('aria-describedby')).to.equal('login-message');
    await expectAccessible(el);
  });

  it('tells an ingest-only key apart from a wrong one', async () => {
    const { el } = await signIn('ck_ingest', { status: 403, body: { status: 403, detail: 'needs read' } });
    const alert = await until(() => el.shadowRoot?.querySelector('#login-message'), 'the message');
    expect(alert.textContent).to.include('read or admin scope');
  });

  it('keeps an accepted key in sessionStorage only, sends it as a Bearer header, and forgets it on sign-out', async () => {
    const { el, server } = await signIn('ck_good', { status: 200, body: LEDGER_OK });
    await until(() => el.shadowRoot?.querySelector('consent-admin-ledger-status'), 'the dashboard');
    expect(sessionStorage.getItem(KEY_SLOT)).to.equal('ck_good');
    expect(document.cookie).to.not.include('ck_good');
    expect(server.requests[0]).to.deep.include({ url: '/v1/admin/ledger-status', authorization: 'Bearer ck_good' });
    expect(server.requests.every((r) => !r.url.includes('ck_good'))).to.equal(true);
    // Focus moves to the dashboard's heading, for keyboard and screen-reader users.
    expect(el.shadowRoot?.activeElement?.tagName).to.equal('H1');
    el.shadowRoot?.querySelector<HTMLButtonElement>('header button')?.click();
    await until(() => el.shadowRoot?.querySelector('#key'), 'the sign-in form');
    expect(sessionStorage.getItem(KEY_SLOT)).to.equal(null);
  });
});
