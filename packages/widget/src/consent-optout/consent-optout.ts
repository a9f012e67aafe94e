import { effectivePurpose } from '@consentkit/core';
import { defineElement } from '../define-element.js';
import { ConsentChangeEvent, type ConsentInteraction } from '../events/consent-change-event.js';
import { format, type WidgetStrings } from '../i18n/strings.js';
import { getClient, getClientWhenLoaded, trackRecord } from '../internal/client-access.js';
import { ConfigController } from '../internal/config-controller.js';
import { toggleState } from '../internal/custom-states.js';
import { readGpc } from '../internal/gpc.js';
import { interactionFrom } from '../internal/interaction.js';
import { scheduleRecordPath } from '../internal/record-path-loader.js';
import { type PropertyDeclarations, RenderElement } from '../internal/render-element.js';
import { fail, failWith } from '../internal/warn.js';
import { consentOptOutStyles } from './consent-optout.styles.js';
import { type OptOutListeners, paintOptOut } from './optout-view.js';

/**
 * @summary A standalone opt-out control for marketing sites: shows the current state and changes
 * it with one action; under Global Privacy Control it shows "Opt-Out Request Honored" (R48, R50).
 * On a purpose the policy makes express (sharing, sensitive data) it never claims the person is
 * "not opted out": it says the purpose is off until they agree, and its one action is the grant
 * (docs/decisions/0004-optout-on-express-purposes.md).
 *
 * @event consent-change - {ConsentChangeEvent} A person opted out or back in, or agreed or withdrew.
 * @event consent-error - {ConsentErrorEvent} The choice could not be recorded or delivered, or the policy has no such purpose.
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
 * @cssstate opted-out - The person is opted out (on an express purpose: has not agreed).
 * @cssstate gpc - The browser sends Global Privacy Control and it covers this purpose (sale, sharing, targeted ads).
 */
export class ConsentOptOut extends RenderElement {
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
  /** The client's state was read: until then an express purpose is shown off, whatever `optedOut` says. */
  private knownState = false;
  private readonly listeners: OptOutListeners = {
    click: (event) => this.handleClick(event),
    keydown: (event) => this.handleKeyDown(event),
  };

  /** The purpose this control is about (`marketing`); an express one (`partner-sharing`) is offered as a grant. */
  declare purpose: string;
  /**
   * The current state: true when the person is opted out, or on an express purpose has not agreed
   * (until the client's state says otherwise, an express purpose shows as off). Setting it records nothing.
   */
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
    scheduleRecordPath(this.ownerDocument);
    void this.loadState();
  }

  /** The current per-purpose state from the client (a ledger history or an earlier choice). */
  private async loadState(): Promise<void> {
    if (this.loadedState) return;
    this.loadedState = true;
    try {
      // Read when the record path has loaded on its own schedule: the control is usable before it.
      const client = await getClientWhenLoaded();
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
        this.knownState = true;
        this.requestUpdate();
      }
    } catch {
      // No state is not an error: the control still works and records the next choice.
    }
  }

  /** The policy makes the purpose express where the person is: nothing happens until they agree. */
  private isExpress(): boolean {
    const purpose = this.config.purpose(this.purpose);
    return purpose !== undefined && effectivePurpose(purpose, this.config.config.jurisdiction).basis === 'express';
  }

  /** Off: opted out, under GPC, or (express) not known to have agreed. */
  private isOff(): boolean {
    return this.optedOut || this.gpcApplies() || (this.isExpress() && !this.knownState && !this.acted);
  }

  protected override updated(): void {
    toggleState(this.internals, 'opted-out', this.isOff());
    toggleState(this.internals, 'gpc', this.gpcApplies());
  }

  /** GPC opts out only of purposes the policy marks as sale, sharing or targeted ads (R50). */
  private gpcApplies(): boolean {
    return this.gpc && this.config.purpose(this.purpose)?.gpc !== undefined;
  }

  private handleKeyDown(event: KeyboardEvent): void {
    if (event.isTrusted && (event.key === ' ' || event.key === 'Enter')) this.pendingInteraction = 'keyboard';
  }

  private handleClick(event: MouseEvent): void {
    // A script's click() is `programmatic`: recorded as such, and core refuses it as a grant (B3).
    const interaction = interactionFrom(event.isTrusted, this.pendingInteraction);
    this.pendingInteraction = undefined;
    const wording = this.actionLabel();
    const locale = this.config.titlePhrase(this.purpose).locale;
    const express = this.isExpress();
    // The button always does what it says: from off it grants (or opts back in), from on it withdraws.
    this.optedOut = !this.isOff();
    this.acted = true;
    // `acted` is not reactive, and `optedOut` may not change (an express purpose shown off before
    // the state was known): render the new state either way.
    this.requestUpdate();
    const granted = !this.optedOut;
    this.dispatchEvent(
      new ConsentChangeEvent({
        purpose: this.purpose,
        mode: express ? 'express' : 'opt-out',
        checked: express ? granted : this.optedOut,
        granted,
        interaction,
      }),
    );
    void this.record(granted, wording, locale, interaction);
    // Move focus back to the (relabelled) button so a keyboard user can undo with one more key.
    void this.updateComplete.then(() => this.renderRoot.querySelector('button')?.focus());
  }

  private async record(
    granted: boolean,
    wording: string,
    locale: string,
    interaction: ConsentInteraction,
  ): Promise<void> {
    try {
      const client = await getClient();
      if (!client) {
        fail('no-client', `${this.failureLabel()}: no client is configured`, { target: this });
        return;
      }
      // The basis is the policy's (the SDK fills it): core tells an opt-out from a withdrawal by it.
      await client.capture({
        decisions: [{ purpose: this.purpose, granted, wording, interaction }],
        method: 'checkbox',
        locale,
        interaction,
        collectionPoint: { element: this.id || 'consent-optout' },
        onRecorded: (recordId) => trackRecord(recordId, this),
      });
    } catch (error) {
      failWith(error, 'capture-failed', this.failureLabel(), { target: this });
    }
  }

  private failureLabel(): string {
    return `<consent-optout purpose="${this.purpose}">: the choice was not recorded`;
  }

  /** The words for the state now: an express purpose and an opt-out one each have an off and an on text. */
  private wording(pick: (s: WidgetStrings, express: boolean, off: boolean) => string): string {
    const { text, strings } = this.config.titlePhrase(this.purpose);
    return format(pick(strings, this.isExpress(), this.isOff()), { purpose: text });
  }

  /** What the button does from here: grant or opt back in when off, withdraw or opt out when on. */
  private actionLabel(): string {
    return this.wording((s, express, off) =>
      express ? (off ? s.expressGrantAction : s.expressWithdrawAction) : off ? s.optInAction : s.optOutAction,
    );
  }

  private statusLine(): string {
    return this.wording((s, express, off) =>
      express ? (off ? s.expressStateOff : s.expressStateOn) : off ? s.optOutStateOut : s.optOutStateIn,
    );
  }

  protected override render(): void {
    // Under GPC the opt-out stands; re-consent is not offered from the same control (B12).
    paintOptOut(
      this.renderRoot,
      {
        status: this.statusLine(),
        action: this.actionLabel(),
        gpc: this.gpcApplies() ? this.config.strings.gpcHonored : undefined,
      },
      this.listeners,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'consent-optout': ConsentOptOut;
  }
}
