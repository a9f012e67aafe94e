/**
 * The base every ConsentKit element renders on: a shadow root with the element's adopted
 * stylesheets, one update per microtask when a declared property changes, and attribute ↔ property
 * reflection for the few properties each element declares. It stands in for LitElement
 * (ReactiveElement, css-tag), which weighed ~2.4 KB of the drop-in's critical path
 * (docs/decisions/0003-drop-in-size-budget.md); its life cycle is LitElement's (willUpdate, render,
 * controllers' hostUpdated, updated, `updateComplete`), so the elements read as before. `render()`
 * paints the shadow root itself: the controls by hand (their few nodes), the lazily defined
 * elements with lit-html (template-element.ts), which keeps lit-html off the critical path.
 */

/** How a declared property maps to its attribute, as LitElement spells it (the manifest reads it). */
export type PropertyDeclaration = {
  type?: BooleanConstructor | NumberConstructor;
  /** The attribute's name; false for none. Defaults to the property's name in lower case. */
  attribute?: string | false;
  /** Writes the property back to its attribute at each update. */
  reflect?: boolean;
  /** Internal state: re-renders, has no attribute. */
  state?: boolean;
  /** The class defines its own accessor (which calls requestUpdate). */
  noAccessor?: boolean;
};
export type PropertyDeclarations = Record<string, PropertyDeclaration>;
/** The properties changed since the last update, with their previous values. */
export type PropertyValues = Map<PropertyKey, unknown>;
/** Stylesheet text (from `css`), or lists of it. */
export type Styles = string | readonly Styles[];

/** What an element tells a controller (ConfigController) of its life cycle. */
export type Controller = { hostConnected?(): void; hostDisconnected?(): void; hostUpdated?(): void };

type Finalized = { props: Map<string, PropertyDeclaration>; attrs: Map<string, string>; sheets: string[] };
type Ctor = typeof RenderElement;

const finalized = new WeakMap<object, Finalized>();
/** One constructed sheet per stylesheet text, shared by every element and instance. */
const sheets = new Map<string, CSSStyleSheet>();

export abstract class RenderElement extends HTMLElement {
  static properties: PropertyDeclarations = {};
  static styles?: Styles;
  static shadowRootOptions: ShadowRootInit = { mode: 'open' };

  /** A class's properties (its own and its ancestors'), attributes and styles; accessors defined once. */
  private static finalize(ctor: Ctor): Finalized {
    let found = finalized.get(ctor);
    if (found) return found;
    const parent = Object.getPrototypeOf(ctor) as Ctor;
    const props = new Map(parent.prototype instanceof RenderElement ? RenderElement.finalize(parent).props : []);
    if (Object.hasOwn(ctor, 'properties')) {
      for (const [name, options] of Object.entries(ctor.properties)) {
        props.set(name, options);
        if (!options.noAccessor) {
          Object.defineProperty(ctor.prototype, name, {
            get(this: RenderElement) {
              return this.ownValues[name];
            },
            set(this: RenderElement, value: unknown) {
              const old = this.ownValues[name];
              this.ownValues[name] = value;
              this.requestUpdate(name, old);
            },
            configurable: true,
            enumerable: true,
          });
        }
      }
    }
    const attrs = new Map<string, string>();
    for (const [name, { attribute, state }] of props) {
      if (!state && attribute !== false) attrs.set(attribute || name.toLowerCase(), name);
    }
    found = { props, attrs, sheets: ([ctor.styles ?? []] as unknown[]).flat(Number.POSITIVE_INFINITY) as string[] };
    finalized.set(ctor, found);
    return found;
  }

  /** Read once, when the tag is defined: every declared property with an attribute. */
  static get observedAttributes(): string[] {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass being defined, not RenderElement.
    return [...RenderElement.finalize(this).attrs.keys()];
  }

  /** Where the element renders: its shadow root, made when it is first connected. */
  renderRoot!: ShadowRoot;
  hasUpdated = false;
  private isUpdatePending = false;
  private ownValues: Record<string, unknown> = {};
  private pendingChanges: PropertyValues = new Map();
  private toReflect = new Set<string>();
  /** The property being written from (or to) its attribute: not written back. */
  private attributeWriting: string | null = null;
  private controllerSet = new Set<Controller>();
  /** Properties a page set on the element before its class was defined (frameworks do). */
  private earlyValues = new Map<string, unknown>();
  private unblock!: () => void;
  private pendingUpdate: Promise<boolean>;

  constructor() {
    super();
    // The first update waits for the first connection, as LitElement's does.
    this.pendingUpdate = new Promise<void>((resolve) => {
      this.unblock = resolve;
    }).then(() => true);
    for (const name of RenderElement.finalize(this.constructor as Ctor).props.keys()) {
      if (Object.hasOwn(this, name)) {
        const self = this as unknown as Record<string, unknown>;
        this.earlyValues.set(name, self[name]);
        delete self[name];
      }
    }
    this.requestUpdate();
  }

  /** Paints what the element shows into `renderRoot`, for its current state. */
  protected abstract render(): void;

  /** Resolves after the pending update (true when no other is pending by then), like LitElement's. */
  get updateComplete(): Promise<boolean> {
    return this.pendingUpdate;
  }

  addController(controller: Controller): void {
    this.controllerSet.add(controller);
    if (this.renderRoot !== undefined && this.isConnected) controller.hostConnected?.();
  }

  connectedCallback(): void {
    this.renderRoot ??= this.createRenderRoot();
    this.unblock();
    for (const controller of this.controllerSet) controller.hostConnected?.();
  }

  disconnectedCallback(): void {
    for (const controller of this.controllerSet) controller.hostDisconnected?.();
  }

  attributeChangedCallback(attribute: string, _old: string | null, value: string | null): void {
    const { attrs, props } = RenderElement.finalize(this.constructor as Ctor);
    const name = attrs.get(attribute);
    if (name === undefined || this.attributeWriting === name) return;
    this.attributeWriting = name;
    const type = props.get(name)?.type;
    (this as unknown as Record<string, unknown>)[name] =
      type === Boolean ? value !== null : type === Number && value !== null ? Number(value) : value;
    this.attributeWriting = null;
  }

  /** Schedules an update; with a name, only when the property's value differs from `oldValue`. */
  requestUpdate(name?: string, oldValue?: unknown): void {
    if (name !== undefined) {
      const value = (this as unknown as Record<string, unknown>)[name];
      // LitElement's notEqual, but for +0 and -0 (no declared property is a signed zero).
      if (Object.is(value, oldValue)) return;
      if (!this.pendingChanges.has(name)) this.pendingChanges.set(name, this.hasUpdated ? oldValue : undefined);
      if (RenderElement.finalize(this.constructor as Ctor).props.get(name)?.reflect && this.attributeWriting !== name) {
        this.toReflect.add(name);
      }
    }
    if (!this.isUpdatePending) this.pendingUpdate = this.enqueueUpdate();
  }

  private async enqueueUpdate(): Promise<boolean> {
    this.isUpdatePending = true;
    try {
      await this.pendingUpdate;
    } catch (error) {
      // An earlier update's failure is reported (unhandled), not carried into this one.
      void Promise.reject(error);
    }
    this.performUpdate();
    return !this.isUpdatePending;
  }

  private performUpdate(): void {
    if (!this.isUpdatePending) return;
    if (!this.hasUpdated) {
      this.renderRoot ??= this.createRenderRoot();
      for (const [name, value] of this.earlyValues) (this as unknown as Record<string, unknown>)[name] = value;
      this.earlyValues.clear();
    }
    const changed = this.pendingChanges;
    try {
      this.willUpdate(changed);
      for (const name of this.toReflect) this.reflect(name);
      this.toReflect.clear();
      this.clearPending();
      this.render();
    } catch (error) {
      this.clearPending();
      throw error;
    }
    for (const controller of this.controllerSet) controller.hostUpdated?.();
    this.hasUpdated = true;
    this.updated(changed);
  }

  private clearPending(): void {
    this.pendingChanges = new Map();
    this.isUpdatePending = false;
  }

  private reflect(name: string): void {
    const { props } = RenderElement.finalize(this.constructor as Ctor);
    const options = props.get(name) ?? {};
    const attribute = options.attribute || name.toLowerCase();
    const value = (this as unknown as Record<string, unknown>)[name];
    const text = options.type === Boolean ? (value ? '' : null) : (value as string | null | undefined);
    this.attributeWriting = name;
    if (text == null) this.removeAttribute(attribute);
    else this.setAttribute(attribute, text);
    this.attributeWriting = null;
  }

  /** The shadow root, with the class's styles adopted (or as `<style>` where adopting is unsupported). */
  private createRenderRoot(): ShadowRoot {
    const ctor = this.constructor as Ctor;
    const root = this.shadowRoot ?? this.attachShadow(ctor.shadowRootOptions);
    const texts = RenderElement.finalize(ctor).sheets;
    if ('adoptedStyleSheets' in Document.prototype && 'replace' in CSSStyleSheet.prototype) {
      root.adoptedStyleSheets = texts.map((text) => {
        let sheet = sheets.get(text);
        if (!sheet) {
          sheet = new CSSStyleSheet();
          sheet.replaceSync(text);
          sheets.set(text, sheet);
        }
        return sheet;
      });
    } else {
      // A strict CSP allows these only with the page's nonce, which Lit reads from `litNonce`.
      const nonce = (globalThis as { litNonce?: string }).litNonce;
      for (const text of texts) {
        const style = document.createElement('style');
        if (nonce) style.setAttribute('nonce', nonce);
        style.textContent = text;
        root.append(style);
      }
    }
    return root;
  }

  /** Before each render: derive state from the changed properties. */
  protected willUpdate(_changed: PropertyValues): void {}

  /** After each render (and the controllers' hostUpdated). */
  protected updated(_changed: PropertyValues): void {}
}
