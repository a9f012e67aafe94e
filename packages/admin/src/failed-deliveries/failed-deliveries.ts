import { defineElement } from '@consentkit/widget/element';
import { html } from 'lit';
import type { AdminClient } from '../client/admin-client.js';
import type { Deliveries, Delivery } from '../client/api-types.js';
import { formatInteger, formatTime } from '../internal/format.js';
import { LoadingPanel } from '../internal/loading-panel.js';
import { failedDeliveriesStyles } from './failed-deliveries.styles.js';

/** How many failed deliveries one page shows (the API's `limit`). */
export const DELIVERY_LIMIT = 50;

/**
 * @summary Failed partner webhook deliveries (GET /v1/partners/deliveries?status=failed): which
 * partner, which event, how often it was tried and the last answer. That log belongs to the
 * partner queue and needs an admin-scope key; without either the panel says so plainly.
 */
export class ConsentAdminFailedDeliveries extends LoadingPanel<Deliveries> {
  static override styles = failedDeliveriesStyles;

  static define(tag = 'consent-admin-failed-deliveries', registry: CustomElementRegistry = customElements): void {
    defineElement(tag, ConsentAdminFailedDeliveries, registry);
  }

  protected override fetchData(client: AdminClient): Promise<Deliveries> {
    return client.deliveries({ status: 'failed', limit: DELIVERY_LIMIT });
  }

  private renderTable(deliveries: readonly Delivery[]) {
    if (deliveries.length === 0) return html`<p role="status" data-field="empty">No failed deliveries.</p>`;
    return html`
      <div class="scroll" role="region" aria-label="Failed deliveries (table)" tabindex="0">
        <table>
          <caption>
            Failed deliveries, newest first${deliveries.length >= DELIVERY_LIMIT ? ` (first ${DELIVERY_LIMIT})` : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">Partner</th>
              <th scope="col">Event</th>
              <th scope="col">Purpose</th>
              <th scope="col" class="num">Attempts</th>
              <th scope="col">Last answer</th>
              <th scope="col">Updated</th>
              <th scope="col">Record</th>
            </tr>
          </thead>
          <tbody>
            ${deliveries.map(
              (d) => html`
                <tr data-delivery=${d.id}>
                  <th scope="row">${d.partner}</th>
                  <td>${d.eventType}</td>
                  <td>${d.purpose}</td>
                  <td class="num">${formatInteger(d.attempts)}</td>
                  <td>${d.lastStatus === null ? 'no answer' : `HTTP ${d.lastStatus}`}${d.lastError ? html`<br />${d.lastError}` : ''}</td>
                  <td>${formatTime(d.updatedAt)}</td>
                  <td><code>${d.recordId}</code></td>
                </tr>
              `,
            )}
          </tbody>
        </table>
      </div>
    `;
  }

  private renderState() {
    const s = this.state;
    if (s.kind === 'error' && s.error.code === 'not-available') {
      return html`<p role="status" data-field="not-available">
        Not available: this server does not offer the partner delivery log (GET /v1/partners/deliveries).
      </p>`;
    }
    if (s.kind === 'error' && s.error.code === 'forbidden') {
      return html`<p role="status" data-field="forbidden">
        The delivery log needs an API key with the admin scope; this key can read but not administer.
      </p>`;
    }
    return this.renderLoaded((data) => this.renderTable(data.deliveries));
  }

  override render() {
    return html`
      <section aria-labelledby="title">
        <h2 id="title">Failed webhook deliveries</h2>
        <div>${this.renderState()}</div>
        <button type="button" class="secondary" @click=${this.handleRefresh}>Reload</button>
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'consent-admin-failed-deliveries': ConsentAdminFailedDeliveries;
  }
}
