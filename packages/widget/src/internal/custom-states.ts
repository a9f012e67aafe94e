/** Adds `state` (`:state(checked)` in page CSS) to `internals.states` when `on`, else removes it. */
export function toggleState(internals: ElementInternals, state: string, on: boolean): void {
  // CustomStateSet throws in engines that predate it; styling then falls back to attributes.
  try {
    if (on) internals.states.add(state);
    else internals.states.delete(state);
  } catch {
    /* unsupported: nothing to style */
  }
}
