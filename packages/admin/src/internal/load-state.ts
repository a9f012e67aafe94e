import { html, type TemplateResult } from 'lit';
import { AdminError } from '../client/admin-error.js';

/** Where a panel's data stands; one union instead of loading/error/data flags that can disagree. */
export type LoadState<T> =
  | { readonly kind: 'idle' }
  | { readonly kind: 'loading' }
  | { readonly kind: 'ready'; readonly data: T }
  | { readonly kind: 'error'; readonly error: AdminError };

export const toAdminError = (error: unknown): AdminError =>
  error instanceof AdminError
    ? error
    : new AdminError('server', error instanceof Error ? error.message : String(error), { cause: error });

/** Runs `load`, reporting each state to `set` (loading first). */
export async function track<T>(load: () => Promise<T>, set: (state: LoadState<T>) => void): Promise<void> {
  set({ kind: 'loading' });
  try {
    set({ kind: 'ready', data: await load() });
  } catch (error) {
    set({ kind: 'error', error: toAdminError(error) });
  }
}

/** The shared "loading…" and error renderings (a live region, so the change is announced). */
export function renderPending<T>(state: LoadState<T>): TemplateResult | undefined {
  if (state.kind === 'idle' || state.kind === 'loading') return html`<p class="muted" role="status">Loading…</p>`;
  if (state.kind === 'error') return html`<p class="error" role="alert">${state.error.detail}</p>`;
  return undefined;
}
