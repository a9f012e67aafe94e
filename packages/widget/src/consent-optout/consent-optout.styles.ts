import { css } from '../internal/css.js';
import { panelStyles } from '../internal/shared.styles.js';

export const consentOptOutStyles = [
  panelStyles,
  css`
    /* The sentence takes the room the button leaves, so every row on a page wraps the same way:
       button at the end of the line while both fit, under the sentence when they do not. */
    .base {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: var(--consent-gap, 0.75em);
    }
    p {
      flex: 1 1 16em;
      margin: 0;
    }
    button {
      flex: 0 0 auto;
      max-inline-size: 100%;
    }
    .gpc {
      font-weight: 600;
    }
  `,
];
