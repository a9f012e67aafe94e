/**
 * The base of the elements that render a lit-html template: RenderElement painted with lit-html's
 * `render()`. Only the lazily defined `<consent-notice>` and `<consent-preferences>` use it, so
 * lit-html travels in their chunks; the controls on the critical path paint their few nodes by
 * hand (consent-checkbox/checkbox-view.ts, consent-optout/optout-view.ts).
 */
import { type nothing, type RenderOptions, render, type TemplateResult } from 'lit/html.js';
import { RenderElement } from './render-element.js';

export abstract class TemplateElement extends RenderElement {
  private readonly renderOptions: RenderOptions = { host: this };

  /** What the element shows, as a lit-html template. */
  protected abstract template(): TemplateResult | typeof nothing;

  protected render(): void {
    // Before anything already in the root (a <style> where stylesheets cannot be adopted), as LitElement renders.
    if (!this.hasUpdated) this.renderOptions.renderBefore = this.renderRoot.firstChild;
    render(this.template(), this.renderRoot, this.renderOptions);
  }
}
