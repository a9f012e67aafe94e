import { css } from 'lit';
import { panelStyles } from '../internal/shared.styles.js';

export const consentNoticeStyles = [
  panelStyles,
  css`
    table {
      border-collapse: collapse;
      inline-size: 100%;
    }
    caption {
      text-align: start;
      font-weight: 600;
      padding-block-end: 0.5em;
    }
    th,
    td {
      text-align: start;
      vertical-align: top;
      padding: var(--consent-cell-padding, 0.375em 0.5em);
      border: 1px solid var(--consent-border-color, currentColor);
      /* Narrow layouts wrap long words instead of overflowing (no scroll box to reach by keyboard). */
      overflow-wrap: anywhere;
    }
    .h {
      font-size: var(--consent-heading-size, 1.125em);
      margin-block: 1em 0.5em;
    }
    dt {
      font-weight: 600;
    }
    dd {
      margin-inline-start: 0;
      margin-block-end: 0.5em;
    }
  `,
];
