import { expect } from 'chai';
import { renderPreferencesPage } from '../../hosted-pages/preferences-page.js';
import { escapeHtml, html } from './html.js';
import { renderNotFoundPage } from './not-found-page.js';

const hostile = `<script>alert(1)</script>"'><img src=x onerror=alert(2)>`;

describe('hosted page HTML', () => {
  it('escapes every interpolated string', () => {
    expect(html`<p title="${hostile}">${hostile}</p>`.value).to.not.include('<script>');
    expect(escapeHtml(`&<>"'\``)).to.equal('&amp;&lt;&gt;&quot;&#39;&#96;');
  });

  it('renders hostile policy text inert on the preference page', () => {
    const page = renderPreferencesPage({
      locale: 'en',
      organisation: hostile,
      nonce: 'n0nce',
      scriptSrc: '/assets/consentkit.js',
      purposes: [{ id: hostile, title: hostile, description: hostile, on: true, required: false }],
      csrfToken: hostile,
      formAction: '/p/x',
      gpcHonored: false,
    });
    expect(page).to.not.include('<script>alert');
    expect(page).to.not.include('<img');
    expect(page).to.include('&lt;script&gt;alert(1)&lt;/script&gt;');
    // The only script element is the nonce'd widget.
    expect(page.match(/<script/g)).to.have.length(1);
  });

  it('gives the 404 page a lang attribute, landmarks and no script', () => {
    const page = renderNotFoundPage('fr');
    expect(page).to.match(/<html lang="fr" dir="ltr">/);
    expect(page).to.include('<main id="main"');
    expect(page).to.not.include('<script');
    expect(renderNotFoundPage('fr')).to.equal(page);
  });
});
