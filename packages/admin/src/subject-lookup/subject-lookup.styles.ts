import { css } from 'lit';
import { sharedStyles } from '../internal/shared.styles.js';

export const subjectLookupStyles = [
  sharedStyles,
  css`
    .field input {
      min-width: min(24rem, 100%);
    }
    ul.plain {
      list-style: none;
      padding: 0;
      margin: 0;
    }
    code {
      font-size: 0.875rem;
      word-break: break-all;
    }
  `,
];
