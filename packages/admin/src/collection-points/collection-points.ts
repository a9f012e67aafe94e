import { html, LitElement, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { AdminClient } from '../internal/admin-client.js';
import type { CollectionPoint, CollectionPointStats } from '../internal/api-types.js';
import { defineElement } from '../internal/define-element.js';
import { formatInteger, formatPercent } from '../internal/format.js';
import { type LoadState, renderPending, track } from '../internal/load-state.js';
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
export class ConsentAdminCollectionPoints extends LitElement {
  static override styles = collectionPointsStyles;

  static override properties: PropertyDeclarations = {
    client: { attribute: false },
    state: { state: true },
  };

  static define(tag = 'consent-admin-collection-points', registry: CustomElementRegistry = customElements): void {
    defineElement(tag, ConsentAdminCollectionPoints, registry);
  }

  declare private state: LoadState<CollectionPointStats>;
  /** The signed-in API client; the panel loads when it is set. */
  declare client: AdminClient | undefined;

  constructor() {
    super();
    this.state = { kind: 'idle' };
    this.client = undefined;
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('client')) void this.load();
  }

  private load(): Promise<void> {
    const client = this.client;
    if (!client) return Promise.resolve();
    return track(
      () => client.collectionPoints(),
      (state) => {
        this.state = state;
      },
    );
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
    const pending = renderPending(this.state);
    return html`
      <section aria-labelledby="title">
        <h2 id="title">Opt-out rate by collection point</h2>
        <div>
          ${pending ?? (this.state.kind === 'ready' ? this.renderTable(this.state.data.collectionPoints) : '')}
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
