import type { DataCategory, LocalizedText, Policy } from '@consentkit/core';
import { html, nothing, type TemplateResult } from 'lit/html.js';
import { defineElement } from '../define-element.js';
import { englishPages } from '../i18n/english-pages.js';
import { addEnglish } from '../i18n/locale-tables.js';
import { ConfigController } from '../internal/config-controller.js';
import type { PropertyDeclarations } from '../internal/render-element.js';
import { TemplateElement } from '../internal/template-element.js';
import { consentNoticeStyles } from './consent-notice.styles.js';

// This element's English strings join the English table before it renders (i18n/english.ts).
addEnglish(englishPages);

/**
 * @summary The policy's "information we collect" table (type, what we collect, who collects it,
 * purpose, who uses it, stored by, shared with) as an accessible table, and the consent
 * practices in plain words — both rendered from the policy document (R25).
 *
 * @csspart base - The wrapper.
 * @csspart scroll - The keyboard-scrollable region around the table (when it is too wide for its box).
 * @csspart table - The `<table>`.
 * @csspart caption - The table caption.
 * @csspart header - Each column header cell.
 * @csspart cell - Each data cell.
 * @csspart practices - The consent practices section.
 * @csspart heading - Section headings.
 *
 * @cssproperty --consent-border-color - Table borders.
 * @cssproperty --consent-cell-padding - Table cell padding.
 * @cssproperty --consent-heading-size - Heading font size.
 * @cssproperty --consent-color - Text colour.
 * @cssproperty --consent-font - Font shorthand.
 */
export class ConsentNotice extends TemplateElement {
  static override styles = consentNoticeStyles;

  static override properties: PropertyDeclarations = {
    hidePractices: { type: Boolean, attribute: 'hide-practices' },
    headingLevel: { type: Number, attribute: 'heading-level' },
  };

  static define(tag = 'consent-notice', registry: CustomElementRegistry = customElements): void {
    defineElement(tag, ConsentNotice, registry);
  }

  private readonly config = new ConfigController(this);

  /** Shows the table only. */
  declare hidePractices: boolean;
  /** The level (2–6) of the practices heading, to fit the page's outline. */
  declare headingLevel: number;

  constructor() {
    super();
    this.hidePractices = false;
    this.headingLevel = 2;
  }

  private t(text: LocalizedText | undefined): string {
    return this.config.text(text);
  }

  private row(policy: Policy, category: DataCategory, headers: readonly string[]): TemplateResult {
    const recipients = category.sharedWith
      .map((id) => policy.recipients.find((r) => r.id === id))
      .map((r) => (r ? (r.description ? this.t(r.description) : r.name) : ''))
      .filter(Boolean)
      .join(', ');
    const cells = [
      this.t(category.type),
      category.collected.map((c) => this.t(c)).join(', '),
      this.t(category.collectedBy),
      this.t(category.purpose),
      this.t(category.usedBy),
      this.t(category.storedIn),
      recipients,
    ];
    // The type names the row: a row header lets screen readers announce it with each cell.
    // data-label: the column's name, shown on phones (the styles' stacked layout).
    return html`<tr>
      <th scope="row" part="header">${cells[0]}</th>
      ${headers.slice(1).map((label, i) => html`<td part="cell" data-label=${label}>${cells[i + 1]}</td>`)}
    </tr>`;
  }

  private heading(text: string): TemplateResult {
    const level = Math.min(6, Math.max(2, Math.trunc(this.headingLevel) || 2));
    return html`<div part="heading" role="heading" aria-level=${level} class="h">${text}</div>`;
  }

  protected override template(): TemplateResult | typeof nothing {
    const policy = this.config.policy;
    if (!policy) return nothing;
    const s = this.config.strings;
    const headers = [s.colType, s.colWhat, s.colCollector, s.colPurpose, s.colUsers, s.colStorage, s.colSharedWith];
    const practices = policy.practices;
    const caption = `${s.noticeCaption} — ${policy.controller.name}`;
    // Phones stack the rows (styles); a table too wide for its box scrolls sideways inside a
    // labelled region that takes keyboard focus (WCAG 1.4.10, 2.1.1).
    return html`<div part="base">
      <div part="scroll" class="scroll" role="region" tabindex="0" aria-label=${caption}>
      <table part="table">
          <caption part="caption">${caption}</caption>
          <thead>
            <tr>${headers.map((h) => html`<th scope="col" part="header">${h}</th>`)}</tr>
          </thead>
          <tbody>${policy.dataCategories.map((c) => this.row(policy, c, headers))}</tbody>
      </table>
      </div>
      ${
        this.hidePractices
          ? nothing
          : html`<section part="practices">
              ${this.heading(s.practicesTitle)}
              <dl>
                <dt>${s.basisExpress}</dt>
                <dd>${this.t(practices.express)}</dd>
                <dt>${s.basisImplied}</dt>
                <dd>${this.t(practices.implied)}</dd>
                <dt>${s.basisOptOut}</dt>
                <dd>${this.t(practices.optOut)}</dd>
              </dl>
              <p>${this.t(practices.withdrawal)}</p>
              <p>${this.t(policy.promises.text)}</p>
              <p>${s.controller}: ${policy.controller.name}, ${policy.controller.contact.email}</p>
            </section>`
      }
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'consent-notice': ConsentNotice;
  }
}
