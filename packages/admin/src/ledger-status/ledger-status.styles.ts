import { css } from 'lit';
import { sharedStyles } from '../internal/shared.styles.js';

export const ledgerStatusStyles = [
  sharedStyles,
  css`
    dl {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 0.25rem 1rem;
      margin: 0.5rem 0;
    }
    dt {
      font-weight: 600;
    }
    dd {
      margin: 0;
    }
    .verdict {
      font-size: 1.125rem;
      font-weight: 700;
    }
  `,
];
