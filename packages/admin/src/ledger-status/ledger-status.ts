import { defineElement } from '@consentkit/widget/element';
import { html } from 'lit';
import type { AdminClient } from '../client/admin-client.js';
import type { LedgerStatus } from '../client/api-types.js';
import { formatInteger, formatTime } from '../internal/format.js';
import { LoadingPanel } from '../internal/loading-panel.js';
import { ledgerStatusStyles } from './ledger-status.styles.js';

/**
 * @summary The ledger's verification status: whether every hash, signature, receipt and
 * checkpoint held when the server last verified it, how many entries, the last checkpoint and when.
 */
export class ConsentAdminLedgerStatus extends LoadingPanel<LedgerStatus> {
  static override styles = ledgerStatusStyles;

  static define(tag = 'consent-admin-ledger-status', registry: CustomElementRegistry = customElements): void {
    defineElement(tag, ConsentAdminLedgerStatus, registry);
  }

  protected override fetchData(client: AdminClient): Promise<LedgerStatus> {
    return client.ledgerStatus();
  }

  private renderStatus(s: LedgerStatus) {
    return html`
      <p class="verdict" data-ledger-ok=${String(s.ok)}>
        ${s.ok ? '✓ Verified: the ledger is intact' : '✗ Verification FAILED'}
      </p>
      <dl>
        <dt>Entries checked</dt>
        <dd data-field="entries">${formatInteger(s.entriesChecked)}</dd>
        <dt>Head (last entry)</dt>
        <dd>${formatInteger(s.headSeq)}</dd>
        <dt>Last checkpoint</dt>
        <dd>
          ${
            s.lastCheckpoint
              ? `entry ${formatInteger(s.lastCheckpoint.seq)}, signed ${formatTime(s.lastCheckpoint.signedAt)}`
              : 'none yet'
          }
        </dd>
        <dt>Checked</dt>
        <dd>${formatTime(s.checkedAt)} (${s.durationMs} ms${s.cached ? ', cached result' : ''})</dd>
        ${
          s.fault
            ? html`<dt>First fault</dt>
              <dd data-field="fault">entry ${s.fault.seq}: ${s.fault.reason}</dd>`
            : ''
        }
      </dl>
    `;
  }

  override render() {
    return html`
      <section aria-labelledby="title">
        <h2 id="title">Ledger verification</h2>
        <div>${this.renderLoaded((data) => this.renderStatus(data))}</div>
        <button type="button" class="secondary" @click=${this.handleRefresh}>Check again</button>
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'consent-admin-ledger-status': ConsentAdminLedgerStatus;
  }
}
