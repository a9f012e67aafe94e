import { css } from 'lit';
import { panelStyles } from '../internal/shared.styles.js';

export const consentOptOutStyles = [
  panelStyles,
  css`
    .base {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--consent-gap, 0.75em);
    }
    p {
      margin: 0;
    }
    .gpc {
      font-weight: 600;
    }
  `,
];
