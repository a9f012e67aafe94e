import { defineElement } from '@consentkit/widget/element';
import { html, LitElement, type PropertyDeclarations } from 'lit';
import { type AdminClient, createAdminClient } from '../client/admin-client.js';
import type { AdminError } from '../client/admin-error.js';
import { clearKey, loadKey, saveKey } from '../internal/key-store.js';
import { toAdminError } from '../internal/load-state.js';
import { adminAppStyles } from './admin-app.styles.js';

type Session =
  | { readonly kind: 'signed-out'; readonly message?: string }
  | { readonly kind: 'checking' }
  | { readonly kind: 'signed-in'; readonly client: AdminClient };

const signInMessage = (error: AdminError): string => {
  if (error.code === 'unauthorized') return `That key was not accepted: ${error.detail}.`;
  if (error.code === 'forbidden') return 'That key cannot read the ledger: use a key with the read or admin scope.';
  return `Could not sign in: ${error.detail}.`;
};

/**
 * The page around the dashboard: no browser margin (the 8 px white frame around the grey page)
 * and the dashboard's grey behind any overscroll. A constructed stylesheet, because the /admin
 * CSP allows no style element or attribute (style-src 'none'), and adopted stylesheets are not
 * governed by it.
 */
let pageSheet: CSSStyleSheet | undefined;
function adoptPageStyles(doc: Document): void {
  if (!('adoptedStyleSheets' in doc) || doc.adoptedStyleSheets.some((sheet) => sheet === pageSheet)) return;
  pageSheet ??= new CSSStyleSheet();
  pageSheet.replaceSync('html, body { margin: 0; background: #f4f5f7; }');
  doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, pageSheet];
}

/**
 * @summary The /admin dashboard: asks for an API key (scope read or admin), keeps it in
 * sessionStorage for this tab only, and shows the panels, each loading its own figures with it.
 */
export class ConsentAdminApp extends LitElement {
  static override styles = adminAppStyles;

  static override properties: PropertyDeclarations = {
    session: { state: true },
    fetcher: { attribute: false },
  };

  static define(tag = 'consent-admin-app', registry: CustomElementRegistry = customElements): void {
    defineElement(tag, ConsentAdminApp, registry);
  }

  declare private session: Session;
  /** The fetch the dashboard calls the server with (default: the page's own). */
  declare fetcher: typeof fetch | undefined;

  constructor() {
    super();
    this.session = { kind: 'signed-out' };
    this.fetcher = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    adoptPageStyles(this.ownerDocument);
    // The shell's no-script text is for browsers without JavaScript; the dashboard replaces it.
    this.replaceChildren();
    const stored = loadKey();
    if (stored) void this.signIn(stored, { quiet: true });
  }

  /** Checks the key against the server (the ledger status needs scope read) before keeping it. */
  private async signIn(key: string, options: { quiet?: boolean } = {}): Promise<void> {
    this.session = { kind: 'checking' };
    const client = createAdminClient({ key, ...(this.fetcher ? { fetch: this.fetcher } : {}) });
    try {
      await client.ledgerStatus();
    } catch (error) {
      clearKey();
      this.session = options.quiet
        ? { kind: 'signed-out' }
        : { kind: 'signed-out', message: signInMessage(toAdminError(error)) };
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>('#key')?.focus();
      return;
    }
    saveKey(key);
    this.session = { kind: 'signed-in', client };
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('h1')?.focus();
  }

  private handleSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const key = String(new FormData(form).get('key') ?? '').trim();
    if (key === '') return;
    form.reset();
    void this.signIn(key);
  }

  private async handleSignOut(): Promise<void> {
    clearKey();
    this.session = { kind: 'signed-out', message: 'Signed out. The key was removed from this tab.' };
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('#key')?.focus();
  }

  // In-page fragment links do not cross the shadow boundary: move focus to the heading by hand.
  private handleSkip(event: Event): void {
    event.preventDefault();
    this.renderRoot.querySelector<HTMLElement>('h1')?.focus();
  }

  private renderLogin() {
    const message = this.session.kind === 'signed-out' ? this.session.message : undefined;
    const checking = this.session.kind === 'checking';
    return html`
      <h1 tabindex="-1">ConsentKit admin</h1>
      <section class="login" aria-labelledby="login-title">
        <h2 id="login-title">Sign in</h2>
        <p>
          Paste an API key with the <strong>read</strong> or <strong>admin</strong> scope
          (<code>consentkit keys api create</code>). It stays in this browser tab only and is sent as an
          Authorization header, never in a link or a cookie.
        </p>
        <form @submit=${this.handleSubmit}>
          <div class="field">
            <label for="key">API key</label>
            <input
              id="key"
              name="key"
              type="password"
              required
              autocomplete="off"
              spellcheck="false"
              aria-describedby=${message ? 'login-message' : ''}
            />
          </div>
          <p><button type="submit" ?disabled=${checking}>${checking ? 'Checking…' : 'Sign in'}</button></p>
        </form>
        ${message ? html`<p id="login-message" class="error" role="alert">${message}</p>` : ''}
      </section>
    `;
  }

  private renderDashboard(client: AdminClient) {
    return html`
      <h1 tabindex="-1">Privacy dashboard</h1>
      <consent-admin-ledger-status .client=${client}></consent-admin-ledger-status>
      <consent-admin-purpose-chart .client=${client}></consent-admin-purpose-chart>
      <consent-admin-collection-points .client=${client}></consent-admin-collection-points>
      <consent-admin-subject-lookup .client=${client}></consent-admin-subject-lookup>
      <consent-admin-failed-deliveries .client=${client}></consent-admin-failed-deliveries>
    `;
  }

  override render() {
    const signedIn = this.session.kind === 'signed-in';
    return html`
      <a class="skip" href="#main" @click=${this.handleSkip}>Skip to content</a>
      <header>
        <p>ConsentKit ledger</p>
        ${signedIn ? html`<button type="button" class="secondary" @click=${this.handleSignOut}>Sign out</button>` : ''}
      </header>
      <main id="main">
        ${this.session.kind === 'signed-in' ? this.renderDashboard(this.session.client) : this.renderLogin()}
      </main>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'consent-admin-app': ConsentAdminApp;
  }
}
