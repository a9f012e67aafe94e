import { defineElement } from '@consentkit/widget/element';
import { html } from 'lit';
import type { AdminClient } from '../client/admin-client.js';
import type { CollectionPoint, CollectionPointStats } from '../client/api-types.js';
import { formatInteger, formatPercent } from '../internal/format.js';
import { LoadingPanel } from '../internal/loading-panel.js';
import { collectionPointsStyles } from './collection-points.styles.js';

/** "https://site/apply — form application", the point as a person reads it. */
export function describePoint(p: Pick<CollectionPoint, 'url' | 'form' | 'flow'>): string {
  const parts = [p.url ?? '(no page URL)'];
  if (p.form) parts.push(`form ${p.form}`);
  if (p.flow) parts.push(`flow ${p.flow}`);
  return parts.join(' — ');
}

/**
 * @summary The opt-out rate per collection point: of the choices on opt-out purposes made at each
 * page, form or flow, the share that were opt-outs.
 */
export class ConsentAdminCollectionPoints extends LoadingPanel<CollectionPointStats> {
  static override styles = collectionPointsStyles;

  static define(tag = 'consent-admin-collection-points', registry: CustomElementRegistry = customElements): void {
    defineElement(tag, ConsentAdminCollectionPoints, registry);
  }

  protected override fetchData(client: AdminClient): Promise<CollectionPointStats> {
    return client.collectionPoints();
  }

  private renderTable(points: readonly CollectionPoint[]) {
    if (points.length === 0) return html`<p>No records yet.</p>`;
    return html`
      <div class="scroll" role="region" aria-label="Opt-out rate per collection point (table)" tabindex="0">
        <table>
          <caption>Opt-out rate per collection point</caption>
          <thead>
            <tr>
              <th scope="col">Collection point</th>
              <th scope="col" class="num">Records</th>
              <th scope="col" class="num">Opt-out choices</th>
              <th scope="col" class="num">Opted out</th>
              <th scope="col" class="num">Opt-out rate</th>
            </tr>
          </thead>
          <tbody>
            ${points.map(
              (p) => html`
                <tr data-point=${p.key}>
                  <th scope="row">${describePoint(p)}</th>
                  <td class="num">${formatInteger(p.records)}</td>
                  <td class="num">${formatInteger(p.optOutDecisions)}</td>
                  <td class="num">${formatInteger(p.optedOut)}</td>
                  <td class="num" data-field="rate">
                    ${p.optOutRate === null ? 'n/a (no opt-out choice offered)' : formatPercent(p.optOutRate)}
                  </td>
                </tr>
              `,
            )}
          </tbody>
        </table>
      </div>
    `;
  }

  override render() {
    return html`
      <section aria-labelledby="title">
        <h2 id="title">Opt-out rate by collection point</h2>
        <div>
          ${this.renderLoaded((data) => this.renderTable(data.collectionPoints))}
        </div>
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'consent-admin-collection-points': ConsentAdminCollectionPoints;
  }
}
