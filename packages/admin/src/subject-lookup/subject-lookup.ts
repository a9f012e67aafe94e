import { defineElement } from '@consentkit/widget/element';
import { html, LitElement, type PropertyDeclarations } from 'lit';
import type { AdminClient } from '../client/admin-client.js';
import type { Badge, SubjectLookup } from '../client/api-types.js';
import { describePoint } from '../collection-points/collection-points.js';
import { describeDecision, describeMethod, describeState, purposeName } from '../internal/describe.js';
import { formatCount, formatTime } from '../internal/format.js';
import { type LoadState, renderPending, track } from '../internal/load-state.js';
import { subjectLookupStyles } from './subject-lookup.styles.js';

const BADGES = [
  { key: 'signature', ok: 'Signature valid', fail: 'Signature INVALID' },
  { key: 'chain', ok: 'In chain', fail: 'NOT in chain' },
  { key: 'receipt', ok: 'Receipt valid', fail: 'Receipt INVALID' },
] as const;

type Lookup = { readonly result: SubjectLookup; readonly titles: ReadonlyMap<string, string> };

/**
 * @summary Subject lookup: a person's history by email address or subject reference, each record
 * with its verification badges (signature, place in the hash chain, ledger receipt) in words and
 * symbols, not colour alone. The lookup is a POST, so the address never lands in a URL.
 */
export class ConsentAdminSubjectLookup extends LitElement {
  static override styles = subjectLookupStyles;

  static override properties: PropertyDeclarations = {
    client: { attribute: false },
    state: { state: true },
  };

  static define(tag = 'consent-admin-subject-lookup', registry: CustomElementRegistry = customElements): void {
    defineElement(tag, ConsentAdminSubjectLookup, registry);
  }

  declare private state: LoadState<Lookup> | { readonly kind: 'blank' };
  /** The signed-in API client. */
  declare client: AdminClient | undefined;

  constructor() {
    super();
    this.state = { kind: 'blank' };
    this.client = undefined;
  }

  private handleSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const client = this.client;
    const query = String(new FormData(event.currentTarget as HTMLFormElement).get('query') ?? '').trim();
    if (!client || query === '') return;
    void track(
      async () => {
        const [result, titles] = await Promise.all([client.lookupSubject(query), client.purposeTitles()]);
        return { result, titles };
      },
      (state) => {
        this.state = state;
      },
    );
  }

  private renderBadge(badge: Badge, label: { ok: string; fail: string }) {
    return html`<span class="badge ${badge.ok ? 'ok' : 'fail'}" title=${badge.detail} data-ok=${String(badge.ok)}
      ><span aria-hidden="true">${badge.ok ? '✓' : '✗'}</span> ${badge.ok ? label.ok : label.fail}<span
        class="visually-hidden"
        >: ${badge.detail}</span
      ></span
    >`;
  }

  private renderResult({ result, titles }: Lookup) {
    const states = Object.entries(result.state);
    return html`
      <h3>Subject <code data-field="subject">${result.subject}</code></h3>
      <p data-field="summary">
        Known since ${formatTime(result.createdAt)}. ${formatCount(result.records.length, { one: 'record', other: 'records' })}.
      </p>
      ${
        states.length > 0
          ? html`<h4>Current state</h4>
              <ul class="state" data-field="state">
                ${states.map(([purpose, s]) => html`<li>${purposeName(titles, purpose)}: ${describeState(s)}</li>`)}
              </ul>`
          : ''
      }
      ${
        result.records.length === 0
          ? html`<p data-field="no-history">No records about this person are left in the ledger.</p>`
          : html`<div class="scroll" role="region" aria-label="History of this subject (table)" tabindex="0">
        <table>
          <caption>History, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">Entry</th>
              <th scope="col">Received</th>
              <th scope="col">How</th>
              <th scope="col">Decisions</th>
              <th scope="col">Verification</th>
            </tr>
          </thead>
          <tbody>
            ${result.records.map(
              (r) => html`
                <tr data-seq=${r.seq}>
                  <th scope="row">${r.seq}</th>
                  <td>${formatTime(r.receivedAt)}</td>
                  <td data-field="how"><span data-field="method">${describeMethod(r.method, r.collectionPoint.flow)}</span><br /><span class="muted">${describePoint(
                    {
                      url: r.collectionPoint.url ?? null,
                      form: r.collectionPoint.form ?? null,
                      flow: r.collectionPoint.flow ?? null,
                    },
                  )}</span></td>
                  <td>
                    <ul class="plain">
                      ${r.decisions.map((d) => html`<li>${purposeName(titles, d.purpose)}: ${describeDecision(d)}</li>`)}
                    </ul>
                  </td>
                  <td data-field="badges">${BADGES.map((b) => this.renderBadge(r.badges[b.key], b))}</td>
                </tr>
              `,
            )}
          </tbody>
        </table>
      </div>`
      }
    `;
  }

  private renderState() {
    if (this.state.kind === 'blank') return '';
    if (this.state.kind === 'error' && this.state.error.code === 'not-found') {
      return html`<p role="status" data-field="no-match">No one in the ledger matches that email address or reference.</p>`;
    }
    return renderPending(this.state) ?? (this.state.kind === 'ready' ? this.renderResult(this.state.data) : '');
  }

  override render() {
    return html`
      <section aria-labelledby="title">
        <h2 id="title">Subject lookup</h2>
        <form class="row" @submit=${this.handleSubmit}>
          <div class="field">
            <label for="query">Email address or subject reference</label>
            <input id="query" name="query" type="text" required autocomplete="off" spellcheck="false" />
          </div>
          <button type="submit">Look up</button>
        </form>
        <div class="result">${this.renderState()}</div>
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'consent-admin-subject-lookup': ConsentAdminSubjectLookup;
  }
}
