import { css } from '../internal/css.js';
import { hostStyles } from '../internal/shared.styles.js';

// Adopted stylesheets only (no style attributes), so pages whose CSP forbids 'unsafe-inline'
// render the control unchanged.
export const consentCheckboxStyles = [
  hostStyles,
  css`
    .base {
      display: flex;
      align-items: flex-start;
      gap: var(--consent-gap, 0.5em);
      /* WCAG 2.5.8: the whole row is the hit target, never smaller than 24×24 CSS px. */
      min-block-size: 24px;
      padding-block: var(--consent-row-padding, 0.125em);
      cursor: pointer;
    }
    input {
      flex: none;
      inline-size: var(--consent-checkbox-size, 24px);
      block-size: var(--consent-checkbox-size, 24px);
      min-inline-size: 24px;
      min-block-size: 24px;
      margin: 0;
      accent-color: var(--consent-accent-color, auto);
      cursor: inherit;
    }
    input:focus-visible {
      /* A visible ring in every theme (2.4.7), and in forced-colors mode via Highlight. */
      outline: var(--consent-focus-ring-width, 3px) solid var(--consent-focus-ring-color, #1a5fb4);
      outline-offset: 2px;
    }
    .label {
      /* Logical properties keep the box on the start side in right-to-left documents. */
      padding-block-start: 0.125em;
    }
    .required {
      color: var(--consent-required-color, inherit);
    }
    .hint {
      margin-block-start: 0.25em;
      margin-inline-start: calc(var(--consent-checkbox-size, 24px) + var(--consent-gap, 0.5em));
      font-size: var(--consent-hint-font-size, 0.875em);
      color: var(--consent-hint-color, inherit);
    }
    :host(:state(disabled)) .base {
      cursor: not-allowed;
      opacity: 0.6;
    }
    @media (forced-colors: active) {
      input:focus-visible {
        outline-color: Highlight;
      }
    }
  `,
];
