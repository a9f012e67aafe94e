import { defineElement } from '@consentkit/widget/element';
import { html, LitElement, type PropertyDeclarations, type PropertyValues, svg } from 'lit';
import type { AdminClient } from '../client/admin-client.js';
import type { PurposeCounts, PurposeStats } from '../client/api-types.js';
import { purposeName } from '../internal/describe.js';
import { formatInteger, shiftDay, todayUtc } from '../internal/format.js';
import { type LoadState, renderPending, track } from '../internal/load-state.js';
import { purposeChartStyles } from './purpose-chart.styles.js';

const WIDTH = 720;
const HEIGHT = 260;
const PAD = { top: 16, right: 16, bottom: 40, left: 56 };
const SERIES = [
  { key: 'granted', label: 'Granted', css: 'granted' },
  { key: 'optedOut', label: 'Opted out', css: 'opted-out' },
  { key: 'withdrawn', label: 'Withdrawn or refused', css: 'withdrawn' },
] as const;

type Row = { readonly day: string; readonly counts: PurposeCounts };

const ZERO: PurposeCounts = { granted: 0, optedOut: 0, withdrawn: 0, decisions: 0 };

/**
 * @summary Consent state by purpose over time: for one purpose, how many people stood at granted,
 * opted out and withdrawn at the end of each day, as a stacked bar chart (an SVG with role="img"
 * and a summary) and the same figures as a table, which is the accessible alternative.
 */
export class ConsentAdminPurposeChart extends LitElement {
  static override styles = purposeChartStyles;

  static override properties: PropertyDeclarations = {
    client: { attribute: false },
    state: { state: true },
    purpose: { state: true },
    from: { state: true },
    to: { state: true },
    titles: { state: true },
  };

  static define(tag = 'consent-admin-purpose-chart', registry: CustomElementRegistry = customElements): void {
    defineElement(tag, ConsentAdminPurposeChart, registry);
  }

  declare private state: LoadState<PurposeStats>;
  declare private purpose: string;
  /** Purpose titles from the ledger's policy; ids stand in until (or unless) they arrive. */
  declare private titles: ReadonlyMap<string, string>;
  declare private from: string;
  declare private to: string;
  /** The signed-in API client; the panel loads when it is set. */
  declare client: AdminClient | undefined;

  constructor() {
    super();
    this.state = { kind: 'idle' };
    this.purpose = '';
    this.titles = new Map();
    this.to = todayUtc();
    this.from = shiftDay(this.to, -29);
    this.client = undefined;
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('client')) return;
    void this.load();
    void this.client?.purposeTitles().then((titles) => {
      this.titles = titles;
    });
  }

  private name(purpose: string): string {
    return purposeName(this.titles, purpose);
  }

  private load(): Promise<void> {
    const client = this.client;
    if (!client) return Promise.resolve();
    const range = { from: this.from, to: this.to };
    return track(
      () => client.purposeStats(range),
      (state) => {
        this.state = state;
        if (state.kind === 'ready' && !this.purposesOf(state.data).includes(this.purpose)) {
          this.purpose = this.purposesOf(state.data)[0] ?? '';
        }
      },
    );
  }

  private purposesOf(stats: PurposeStats): string[] {
    return Object.keys(stats.days.at(-1)?.purposes ?? {}).sort();
  }

  private handleSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    this.from = String(data.get('from') ?? this.from);
    this.to = String(data.get('to') ?? this.to);
    void this.load();
  }

  private handlePurpose(event: Event): void {
    this.purpose = (event.currentTarget as HTMLSelectElement).value;
  }

  private rowsOf(stats: PurposeStats): Row[] {
    return stats.days.map((d) => ({ day: d.day, counts: d.purposes[this.purpose] ?? ZERO }));
  }

  private renderChart(rows: readonly Row[]) {
    const total = (c: PurposeCounts) => c.granted + c.optedOut + c.withdrawn;
    const max = Math.max(1, ...rows.map((r) => total(r.counts)));
    const plotW = WIDTH - PAD.left - PAD.right;
    const plotH = HEIGHT - PAD.top - PAD.bottom;
    const step = plotW / Math.max(1, rows.length);
    const barW = Math.max(1, step * 0.75);
    const y = (n: number) => (n / max) * plotH;
    const last = rows.at(-1);
    const summary = last
      ? `On ${last.day}: ${formatInteger(last.counts.granted)} granted, ${formatInteger(last.counts.optedOut)} opted out, ` +
        `${formatInteger(last.counts.withdrawn)} withdrawn or refused. The table below has every day.`
      : 'No days in the range.';
    return html`
      <svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="chart-title chart-desc">
        <title id="chart-title">Consent state for ${this.name(this.purpose)}, ${rows[0]?.day ?? ''} to ${last?.day ?? ''}</title>
        <desc id="chart-desc">${summary}</desc>
        <line class="axis" x1=${PAD.left} y1=${PAD.top + plotH} x2=${WIDTH - PAD.right} y2=${PAD.top + plotH}></line>
        <line class="axis" x1=${PAD.left} y1=${PAD.top} x2=${PAD.left} y2=${PAD.top + plotH}></line>
        <text class="tick" x=${PAD.left - 8} y=${PAD.top + 4} text-anchor="end">${formatInteger(max)}</text>
        <text class="tick" x=${PAD.left - 8} y=${PAD.top + plotH} text-anchor="end">0</text>
        <text class="tick" x=${PAD.left} y=${HEIGHT - 12}>${rows[0]?.day ?? ''}</text>
        <text class="tick" x=${WIDTH - PAD.right} y=${HEIGHT - 12} text-anchor="end">${last?.day ?? ''}</text>
        ${rows.map((r, i) => {
          let base = PAD.top + plotH;
          const x = PAD.left + i * step + (step - barW) / 2;
          return SERIES.map((s) => {
            const h = y(r.counts[s.key]);
            base -= h;
            return h === 0 ? svg`` : svg`<rect class=${s.css} x=${x} y=${base} width=${barW} height=${h}></rect>`;
          });
        })}
      </svg>
      <ul class="legend" aria-label="Legend">
        ${SERIES.map((s) => html`<li><span class="swatch ${s.css}"></span>${s.label}</li>`)}
      </ul>
    `;
  }

  private renderTable(rows: readonly Row[]) {
    return html`
      <div class="scroll" role="region" aria-label="Consent state for ${this.name(this.purpose)} by day (table)" tabindex="0">
        <table data-purpose=${this.purpose}>
          <caption>Consent state for ${this.name(this.purpose)} at the end of each day (UTC), newest first</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              ${SERIES.map((s) => html`<th scope="col" class="num">${s.label}</th>`)}
              <th scope="col" class="num">Decisions recorded</th>
            </tr>
          </thead>
          <tbody>
            ${[...rows].reverse().map(
              (r) => html`
                <tr data-day=${r.day}>
                  <th scope="row">${r.day}</th>
                  <td class="num" data-field="granted">${formatInteger(r.counts.granted)}</td>
                  <td class="num" data-field="optedOut">${formatInteger(r.counts.optedOut)}</td>
                  <td class="num" data-field="withdrawn">${formatInteger(r.counts.withdrawn)}</td>
                  <td class="num" data-field="decisions">${formatInteger(r.counts.decisions)}</td>
                </tr>
              `,
            )}
          </tbody>
        </table>
      </div>
    `;
  }

  private renderData(stats: PurposeStats) {
    const purposes = this.purposesOf(stats);
    if (purposes.length === 0) return html`<p>No decisions recorded yet.</p>`;
    const rows = this.rowsOf(stats);
    return html`
      <div class="field">
        <label for="purpose">Purpose</label>
        <select id="purpose" @change=${this.handlePurpose}>
          ${purposes.map((p) => html`<option value=${p} ?selected=${p === this.purpose}>${this.name(p)}</option>`)}
        </select>
      </div>
      ${this.renderChart(rows)} ${this.renderTable(rows)}
    `;
  }

  override render() {
    const pending = renderPending(this.state);
    return html`
      <section aria-labelledby="title">
        <h2 id="title">Consent state by purpose over time</h2>
        <p class="muted">
          People by their latest recorded decision at the end of each day (UTC, the ledger's receive time).
        </p>
        <form class="row" @submit=${this.handleSubmit}>
          <div class="field">
            <label for="from">From</label>
            <input id="from" name="from" type="date" required .value=${this.from} />
          </div>
          <div class="field">
            <label for="to">To</label>
            <input id="to" name="to" type="date" required .value=${this.to} />
          </div>
          <button type="submit">Show</button>
        </form>
        <div>${pending ?? (this.state.kind === 'ready' ? this.renderData(this.state.data) : '')}</div>
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'consent-admin-purpose-chart': ConsentAdminPurposeChart;
  }
}
