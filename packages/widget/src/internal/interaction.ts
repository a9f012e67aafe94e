import type { ConsentInteraction } from '../events/consent-change-event.js';

/**
 * How a change was made, from the event that activated the control. Only the browser makes
 * trusted events: page script's `click()`, `dispatchEvent(new MouseEvent('click'))` or a
 * synthesised key are `programmatic`, never a person's act (R16, B3). `pending` is what a
 * trusted keydown or pointerdown said just before the activation.
 */
export function interactionFrom(trusted: boolean, pending: ConsentInteraction | undefined): ConsentInteraction {
  if (!trusted) return 'programmatic';
  return pending === 'keyboard' ? 'keyboard' : 'pointer';
}
