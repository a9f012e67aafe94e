import { LitElement, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import type { AdminClient } from '../client/admin-client.js';
import { type LoadState, renderPending, track } from './load-state.js';

/**
 * The base of the panels that show one API answer: `client` set (or changed) loads it with
 * `fetchData`, `state` follows it, and `renderLoaded` shows loading, the error or the data.
 */
export abstract class LoadingPanel<T> extends LitElement {
  static override properties: PropertyDeclarations = {
    client: { attribute: false },
    state: { state: true },
  };

  declare protected state: LoadState<T>;
  /** The signed-in API client; the panel loads when it is set. */
  declare client: AdminClient | undefined;

  constructor() {
    super();
    this.state = { kind: 'idle' };
    this.client = undefined;
  }

  /** The request whose answer the panel shows. */
  protected abstract fetchData(client: AdminClient): Promise<T>;

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('client')) void this.load();
  }

  protected load(): Promise<void> {
    const client = this.client;
    if (!client) return Promise.resolve();
    return track(
      () => this.fetchData(client),
      (state) => {
        this.state = state;
      },
    );
  }

  protected handleRefresh(): void {
    void this.load();
  }

  /** Loading… or the error (renderPending), else the data through `ready`. */
  protected renderLoaded(ready: (data: T) => TemplateResult): TemplateResult | string {
    return renderPending(this.state) ?? (this.state.kind === 'ready' ? ready(this.state.data) : '');
  }
}
