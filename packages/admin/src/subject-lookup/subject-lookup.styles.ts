import { css } from 'lit';
import { sharedStyles } from '../internal/shared.styles.js';

export const subjectLookupStyles = [
  sharedStyles,
  css`
    /* The field takes the room the button leaves, and the button wraps under it when there is
       none: the two never overlap. */
    form.row .field {
      flex: 1 1 16rem;
      min-width: 0;
    }
    .field input {
      width: 100%;
    }
    h4 {
      margin: 0.75rem 0 0.25rem;
      font-size: 1rem;
    }
    ul.state {
      margin: 0 0 0.75rem;
      padding-inline-start: 1.25rem;
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
