import { html, LitElement, type PropertyDeclarations, type TemplateResult } from 'lit';
import { defineElement } from '../define-element.js';
import { ConsentChangeEvent, type ConsentInteraction } from '../events/consent-change-event.js';
import { format } from '../i18n/strings.js';
import { getClient } from '../internal/client-access.js';
import { ConfigController } from '../internal/config-controller.js';
import { DEV } from '../internal/dev.js';
import { readGpc } from '../internal/gpc.js';
import { warn } from '../internal/warn.js';
import { consentOptOutStyles } from './consent-optout.styles.js';

/**
 * @summary A standalone opt-out control for marketing sites: shows the current state and changes
 * it with one action; under Global Privacy Control it shows "Opt-Out Request Honored" (R48, R50).
 *
 * @event consent-change - {ConsentChangeEvent} A person opted out or back in.
 *
 * @csspart base - The wrapper.
 * @csspart status - The sentence stating the current state (a live region).
 * @csspart button - The one-action button.
 * @csspart gpc - The "Opt-Out Request Honored" notice.
 *
 * @cssproperty --consent-button-background - Button background.
 * @cssproperty --consent-button-color - Button text colour.
 * @cssproperty --consent-button-border-color - Button border colour.
 * @cssproperty --consent-button-padding - Button padding.
 * @cssproperty --consent-radius - Button corner radius.
 * @cssproperty --consent-focus-ring-color - Focus ring colour.
 * @cssproperty --consent-focus-ring-width - Focus ring width.
 * @cssproperty --consent-color - Text colour.
 * @cssproperty --consent-font - Font shorthand.
 *
 * @cssstate opted-out - The person is opted out.
 * @cssstate gpc - The browser sends Global Privacy Control and it covers this purpose (sale, sharing, targeted ads).
 */
export class ConsentOptOut extends LitElement {
  static override styles = consentOptOutStyles;

  static override properties: PropertyDeclarations = {
    purpose: { reflect: true },
    optedOut: { type: Boolean, attribute: 'opted-out', reflect: true },
    gpc: { type: Boolean, reflect: true },
  };

  static define(tag = 'consent-optout', registry: CustomElementRegistry = customElements): void {
    defineElement(tag, ConsentOptOut, registry);
  }

  private readonly config = new ConfigController(this);
  private readonly internals: ElementInternals;
  private pendingInteraction: ConsentInteraction | undefined;
  private loadedState = false;
  private acted = false;

  /** The opt-out purpose this control is about (`marketing`). */
  declare purpose: string;
  /** The current state: true when the person is opted out. Setting it records nothing. */
  declare optedOut: boolean;
  /** Global Privacy Control as this page sees it; read once from the browser (R46). */
  declare gpc: boolean;

  constructor() {
    super();
    this.internals = this.attachInternals();
    this.purpose = '';
    this.optedOut = false;
    this.gpc = readGpc();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadState();
  }

  /** The current per-purpose state from the client (a ledger history or an earlier choice). */
  private async loadState(): Promise<void> {
    if (this.loadedState) return;
    this.loadedState = true;
    try {
      const client = getClient();
      const state = await client?.state();
      if (client?.gpcHonored) this.gpc = true;
      const purpose = state?.[this.purpose];
      // Opt-out purposes are on until the person opts out: only an actual opt-out, withdrawal or
      // GPC shows as opted out (a first visit is "never presented", not opted out).
      // A person who already acted on this control knows better than a state read before it.
      if (purpose && !this.acted) {
        this.optedOut =
          purpose.basis === 'opt-out'
            ? ['opted-out', 'withdrawn', 'refused', 'gpc'].includes(purpose.reason)
            : purpose.status !== 'granted';
      }
    } catch {
      // No state is not an error: the control still works and records the next choice.
    }
  }

  protected override updated(): void {
    for (const [state, on] of [
      ['opted-out', this.optedOut || this.gpcApplies()],
      ['gpc', this.gpcApplies()],
    ] as const) {
      try {
        if (on) this.internals.states.add(state);
        else this.internals.states.delete(state);
      } catch {
        /* CustomStateSet unsupported: nothing to style */
      }
    }
  }

  /** GPC opts out only of purposes the policy marks as sale, sharing or targeted ads (R50). */
  private gpcApplies(): boolean {
    return this.gpc && this.config.purpose(this.purpose)?.gpc !== undefined;
  }

  private purposeName(): string {
    const purpose = this.config.purpose(this.purpose);
    return purpose ? this.config.text(purpose.title) : this.purpose;
  }

  private handleKeyDown(event: KeyboardEvent): void {
    if (event.key === ' ' || event.key === 'Enter') this.pendingInteraction = 'keyboard';
  }

  private handleClick(): void {
    const interaction = this.pendingInteraction ?? 'pointer';
    this.pendingInteraction = undefined;
    this.acted = true;
    const wording = this.actionLabel();
    this.optedOut = !this.optedOut;
    const granted = !this.optedOut;
    this.dispatchEvent(
      new ConsentChangeEvent({ purpose: this.purpose, mode: 'opt-out', checked: this.optedOut, granted, interaction }),
    );
    void this.record(granted, wording, interaction);
    // Move focus back to the (relabelled) button so a keyboard user can undo with one more key.
    void this.updateComplete.then(() => this.renderRoot.querySelector('button')?.focus());
  }

  private async record(granted: boolean, wording: string, interaction: ConsentInteraction): Promise<void> {
    try {
      const client = getClient();
      if (!client) {
        warn('no-client', DEV ? 'an opt-out was changed, but no client is configured; nothing was recorded.' : '');
        return;
      }
      // The basis is the policy's (the SDK fills it): core tells an opt-out from a withdrawal by it.
      await client.capture({
        decisions: [{ purpose: this.purpose, granted, wording, interaction }],
        method: 'checkbox',
        interaction,
        collectionPoint: { element: this.id || 'consent-optout' },
      });
    } catch (error) {
      warn('capture-failed', DEV ? `the opt-out could not be recorded (${String(error)}).` : '');
    }
  }

  private actionLabel(): string {
    const strings = this.config.strings;
    return format(this.optedOut ? strings.optInAction : strings.optOutAction, { purpose: this.purposeName() });
  }

  protected override render(): TemplateResult {
    const strings = this.config.strings;
    const name = this.purposeName();
    const gpc = this.gpcApplies();
    const optedOut = this.optedOut || gpc;
    return html`<div part="base" class="base">
      <p part="status" role="status">${format(optedOut ? strings.optOutStateOut : strings.optOutStateIn, { purpose: name })}</p>
      ${
        gpc
          ? // Under GPC the opt-out stands; re-consent is not offered from the same control (B12).
            html`<p part="gpc" class="gpc">${strings.gpcHonored}</p>`
          : html`<button part="button" type="button" @click=${this.handleClick} @keydown=${this.handleKeyDown}>
              ${this.actionLabel()}
            </button>`
      }
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'consent-optout': ConsentOptOut;
  }
}
