import { css } from '../internal/css.js';
import { panelStyles } from '../internal/shared.styles.js';

export const consentPreferencesStyles = [
  panelStyles,
  css`
    fieldset {
      border: 1px solid var(--consent-border-color, currentColor);
      border-radius: var(--consent-radius, 0.25em);
      padding: var(--consent-panel-padding, 0.75em 1em);
      margin: 0;
    }
    legend {
      font-weight: 600;
      padding-inline: 0.25em;
    }
    .summary {
      margin-block: 0 0.25em;
    }
    .purpose {
      display: grid;
      grid-template-columns: auto 1fr auto;
      gap: 0.25em 0.75em;
      align-items: start;
      padding-block: 0.5em;
    }
    .purpose + .purpose {
      border-block-start: 1px solid var(--consent-border-color, currentColor);
    }
    input {
      inline-size: 24px;
      block-size: 24px;
      margin: 0;
      accent-color: var(--consent-accent-color, auto);
    }
    label {
      font-weight: 600;
      cursor: pointer;
    }
    .description {
      grid-column: 2 / 4;
      margin: 0;
    }
    .state {
      font-variant-numeric: tabular-nums;
    }
  `,
];
