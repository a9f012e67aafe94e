import { effectivePurpose, type Purpose } from '@consentkit/core';
import { html, nothing, type TemplateResult } from 'lit/html.js';
import { defineElement } from '../define-element.js';
import { ConsentChangeEvent, type ConsentInteraction } from '../events/consent-change-event.js';
import { englishPages } from '../i18n/english-pages.js';
import { addEnglish } from '../i18n/locale-tables.js';
import { plural } from '../i18n/plural.js';
import { getClient, trackRecord } from '../internal/client-access.js';
import { ConfigController } from '../internal/config-controller.js';
import { interactionFrom } from '../internal/interaction.js';
import type { PropertyDeclarations } from '../internal/render-element.js';
import { TemplateElement } from '../internal/template-element.js';
import { fail, failWith } from '../internal/warn.js';
import { consentPreferencesStyles } from './consent-preferences.styles.js';

// This element's English strings join the English table before it renders (i18n/english.ts).
addEnglish(englishPages);

/**
 * @summary Per-purpose toggles with each purpose's description and current state. Granting and
 * withdrawing are the same single action on the same control (R19, R27); each change is
 * recorded at once with method `preference-page`. Loaded lazily by the drop-in.
 *
 * @event consent-change - {ConsentChangeEvent} A person switched a purpose on or off.
 * @event consent-error - {ConsentErrorEvent} A choice could not be recorded or delivered.
 *
 * @csspart base - The fieldset.
 * @csspart legend - Its legend.
 * @csspart summary - How many of the choices shown are on ("1 choice is on", in the reader's plural form).
 * @csspart purpose - One purpose row.
 * @csspart control - A purpose's native checkbox.
 * @csspart label - A purpose's title.
 * @csspart description - A purpose's description.
 * @csspart state - The "On"/"Off" text.
 *
 * @cssproperty --consent-accent-color - Checkbox colour.
 * @cssproperty --consent-border-color - Borders.
 * @cssproperty --consent-panel-padding - Fieldset padding.
 * @cssproperty --consent-radius - Corner radius.
 * @cssproperty --consent-focus-ring-color - Focus ring colour.
 * @cssproperty --consent-focus-ring-width - Focus ring width.
 */
export class ConsentPreferences extends TemplateElement {
  static override styles = consentPreferencesStyles;

  static override properties: PropertyDeclarations = {
    purposes: {},
    choices: { state: true },
  };

  static define(tag = 'consent-preferences', registry: CustomElementRegistry = customElements): void {
    defineElement(tag, ConsentPreferences, registry);
  }

  private readonly config = new ConfigController(this);
  private pendingKeyboard = false;
  /** The click that activated a toggle came from the browser, not from script (B3). */
  private activationTrusted = false;

  /** Space-separated purpose ids to show; default: every purpose that is not the primary one. */
  declare purposes: string;
  /** The person's current choice per purpose id (granted = on). */
  declare private choices: Readonly<Record<string, boolean>>;

  constructor() {
    super();
    this.purposes = '';
    this.choices = {};
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadState();
  }

  private async loadState(): Promise<void> {
    try {
      const state = await (await getClient())?.state();
      if (!state) return;
      const choices: Record<string, boolean> = {};
      for (const [id, purposeState] of Object.entries(state)) choices[id] = purposeState.status === 'granted';
      this.choices = { ...choices, ...this.choices };
    } catch {
      // Without state the toggles show the policy defaults; choices still record.
    }
  }

  private shown(): Purpose[] {
    const policy = this.config.policy;
    if (!policy) return [];
    const wanted = this.purposes.split(/\s+/).filter(Boolean);
    return policy.purposes.filter((p) => (wanted.length ? wanted.includes(p.id) : !p.primary));
  }

  private basis(purpose: Purpose): 'express' | 'opt-out' {
    return effectivePurpose(purpose, this.config.config.jurisdiction).basis === 'opt-out' ? 'opt-out' : 'express';
  }

  /** Opt-out purposes are on until the person switches them off; express ones are off until on. */
  private isOn(purpose: Purpose): boolean {
    return this.choices[purpose.id] ?? this.basis(purpose) === 'opt-out';
  }

  private handleChange(purpose: Purpose, event: Event): void {
    const granted = (event.target as HTMLInputElement).checked;
    const interaction = interactionFrom(this.activationTrusted, this.pendingKeyboard ? 'keyboard' : undefined);
    this.pendingKeyboard = false;
    this.activationTrusted = false;
    this.choices = { ...this.choices, [purpose.id]: granted };
    const mode = this.basis(purpose);
    this.dispatchEvent(new ConsentChangeEvent({ purpose: purpose.id, mode, checked: granted, granted, interaction }));
    void this.record(purpose, granted, interaction);
  }

  private async record(purpose: Purpose, granted: boolean, interaction: ConsentInteraction): Promise<void> {
    try {
      const client = await getClient();
      if (!client) {
        fail('no-client', `${this.failureLabel(purpose)}: no client is configured`, { target: this });
        return;
      }
      // The words shown for this toggle: its title and description, as rendered.
      const title = this.config.localized(purpose.title);
      const wording = `${title.text}. ${this.config.text(purpose.description)}`;
      await client.capture({
        decisions: [{ purpose: purpose.id, granted, wording, interaction }],
        method: 'preference-page',
        // The title's language: the policy's own when it has no translation into the page's (R17).
        locale: title.locale,
        interaction,
        collectionPoint: { element: this.id || 'consent-preferences' },
        onRecorded: (recordId) => trackRecord(recordId, this),
      });
    } catch (error) {
      failWith(error, 'capture-failed', this.failureLabel(purpose), { target: this });
    }
  }

  private failureLabel(purpose: Purpose): string {
    return `<consent-preferences>: the choice for "${purpose.id}" was not recorded`;
  }

  private handleKeyDown(event: KeyboardEvent): void {
    if (event.isTrusted && event.key === ' ') this.pendingKeyboard = true;
  }

  private handleClick(event: MouseEvent): void {
    // The click precedes the toggle's change; a label's click on it keeps the person's trust.
    this.activationTrusted = event.isTrusted;
  }

  protected override template(): TemplateResult | typeof nothing {
    const purposes = this.shown();
    if (purposes.length === 0) return nothing;
    const s = this.config.strings;
    return html`<fieldset part="base">
      <legend part="legend">${s.preferencesTitle}</legend>
      <p part="summary" class="summary">${plural(s.choicesOn, purposes.filter((p) => this.isOn(p)).length, this.config.shownLocale)}</p>
      ${purposes.map((purpose) => {
        const on = this.isOn(purpose);
        const id = `p-${purpose.id}`;
        return html`<div part="purpose" class="purpose">
          <input
            part="control"
            type="checkbox"
            id=${id}
            .checked=${on}
            aria-describedby="${id}-d ${id}-s"
            @click=${this.handleClick}
            @change=${(event: Event) => this.handleChange(purpose, event)}
            @keydown=${this.handleKeyDown}
          />
          <label part="label" for=${id}>${this.config.text(purpose.title)}</label>
          <span part="state" class="state" id="${id}-s">${on ? s.stateGranted : s.stateDenied}</span>
          <p part="description" class="description" id="${id}-d">${this.config.text(purpose.description)}</p>
        </div>`;
      })}
    </fieldset>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'consent-preferences': ConsentPreferences;
  }
}
