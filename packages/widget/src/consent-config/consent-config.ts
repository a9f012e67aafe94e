import type { Policy } from '@consentkit/core';
import { type ConfigureOptions, configure } from '../config.js';
import { defineElement } from '../define-element.js';
import { ensureFormCapture } from '../form-capture.js';
import { getClient, getClientWhenLoaded } from '../internal/client-access.js';
import { failWith } from '../internal/warn.js';

/**
 * @summary Configures every ConsentKit element on the page from attributes, so a page needs no
 * JavaScript of its own. Renders nothing. The JS equivalent is `configure()`.
 *
 * @attr {string} endpoint - The ledger's base URL (`/` is this page's origin).
 * @attr {string} policy - The policy's URL (default: the ledger's `/v1/policy`), or `#id` of a
 * `<script type="application/json">` holding it: the page then works with the ledger unreachable.
 * @attr {string} lang - The default locale of every element (BCP 47).
 * @attr {string} jurisdiction - Where the person is (ISO 3166, `DE`, `US-CA`).
 * @attr {boolean} consent-mode - Turns on the Google Consent Mode v2 bridge.
 *
 * @example
 * <consent-config endpoint="https://ledger.example.com" policy="/policy.json" lang="fr-CA"></consent-config>
 */
export class ConsentConfig extends HTMLElement {
  static observedAttributes = ['endpoint', 'policy', 'lang', 'jurisdiction', 'consent-mode'];

  static define(tag = 'consent-config', registry: CustomElementRegistry = customElements): void {
    defineElement(tag, ConsentConfig, registry);
  }

  connectedCallback(): void {
    this.hidden = true;
    ensureFormCapture(this.ownerDocument);
    this.apply();
    // Build the client before the first submit, as soon as the record path has loaded (at idle at
    // the latest): it re-sends what an earlier visit left in the outbox. Consent Mode's `default`
    // must be issued at page load (R52): with it, the record path loads at once.
    if (this.hasAttribute('endpoint')) {
      const started = this.hasAttribute('consent-mode') ? getClient() : getClientWhenLoaded();
      started.catch((error: unknown) =>
        failWith(error, 'capture-failed', '<consent-config>: no record can be made', { target: this }),
      );
    }
  }

  attributeChangedCallback(): void {
    if (this.isConnected) this.apply();
  }

  private apply(): void {
    const endpoint = this.getAttribute('endpoint');
    const given = this.getAttribute('policy');
    const policy = given?.startsWith('#') ? embedded(this.ownerDocument, given) : given;
    const locale = this.getAttribute('lang');
    const jurisdiction = this.getAttribute('jurisdiction');
    // configure() skips undefined options: an absent or empty attribute sets nothing.
    configure({
      consentMode: this.hasAttribute('consent-mode'),
      endpoint: endpoint || undefined,
      policy: policy || undefined,
      locale: locale || undefined,
      jurisdiction: jurisdiction || undefined,
    } as ConfigureOptions);
  }
}

/** The policy a page embeds as JSON (CSP allows data blocks: they are never run). */
function embedded(doc: Document, ref: string): Policy | undefined {
  try {
    return JSON.parse(doc.getElementById(ref.slice(1))?.textContent ?? '') as Policy;
  } catch (error) {
    failWith(error, 'policy-load-failed', `<consent-config policy="${ref}">`);
    return undefined;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'consent-config': ConsentConfig;
  }
}
