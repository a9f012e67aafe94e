import { css } from '../internal/css.js';
import { panelStyles } from '../internal/shared.styles.js';

export const consentNoticeStyles = [
  panelStyles,
  css`
    .scroll {
      overflow-x: auto;
    }
    .scroll:focus-visible {
      outline: var(--consent-focus-ring-width, 3px) solid var(--consent-focus-ring-color, #1a5fb4);
      outline-offset: 2px;
    }
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
      /* Whole words set the column widths (anywhere would split them letter by letter); a table
         too wide for its box scrolls in the region above. */
      hyphens: auto;
      overflow-wrap: break-word;
    }
    /* Phones: each row a block, each cell under its column name (WCAG 1.4.10). */
    @media (width < 45em) {
      table,caption,tbody,tr,th,td {
        display: block;
      }
      thead {
        display: none;
      }
      td::before {
        content: attr(data-label);
        display: block;
        font-weight: 600;
      }
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
