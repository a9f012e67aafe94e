// Type tests for the generated template typings (@consentkit/widget/svelte), on the element
// attribute map svelte-check reads templates with: `pnpm typecheck` fails if a line expected to
// be an error type-checks, i.e. if the typings stopped catching the mistake. (In markup,
// svelte-check accepts an unneeded expect-error comment, so the tests are written here.) Never bundled.
import type { ConsentChangeEvent } from '@consentkit/widget';
import type { SvelteHTMLElements } from 'svelte/elements';

type Checkbox = SvelteHTMLElements['consent-checkbox'];

export const accepted: Checkbox[] = [
  { purpose: 'partner-sharing', mode: 'express', checked: false, required: true, 'no-hint': true },
  { 'onconsent-change': (event: ConsentChangeEvent) => void event.detail.granted },
  { onchange: (event) => void event.currentTarget.checked },
];
export const notice: SvelteHTMLElements['consent-notice'] = { 'heading-level': 3, 'hide-practices': true };

export const refused: Checkbox[] = [
  // @ts-expect-error purpose is a string
  { purpose: 1 },
  // @ts-expect-error mode is 'express' | 'opt-out'
  { mode: 'sometimes' },
  // @ts-expect-error consent-change hands over a ConsentChangeEvent, not a MouseEvent
  { 'onconsent-change': (event: MouseEvent) => void event.button },
];
// @ts-expect-error heading-level is a number
export const badNotice: SvelteHTMLElements['consent-notice'] = { 'heading-level': 'two' };
