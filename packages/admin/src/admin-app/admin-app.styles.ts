import { css } from 'lit';
import { sharedStyles } from '../internal/shared.styles.js';

export const adminAppStyles = [
  sharedStyles,
  css`
    :host {
      background: #f4f5f7;
      min-height: 100vh;
    }
    header,
    main {
      max-width: 64rem;
      margin: 0 auto;
      padding: 0.75rem 1.25rem;
    }
    /* Full width (white across the page), its content aligned with main's column. */
    header {
      max-width: none;
      padding-inline: max(1.25rem, calc((100% - 64rem) / 2));
      display: flex;
      justify-content: space-between;
      align-items: center;
      gap: 1rem;
      border-bottom: 1px solid #8a8f98;
      background: #ffffff;
    }
    header p {
      margin: 0;
      font-weight: 600;
    }
    h1 {
      font-size: 1.75rem;
      margin: 1rem 0 0.5rem;
    }
    h1:focus {
      outline: none;
    }
    h1:focus-visible {
      outline: 3px solid #1a5fb4;
    }
    .login {
      max-width: 32rem;
    }
    .login input {
      width: 100%;
    }
    .skip {
      position: absolute;
      left: -9999px;
    }
    .skip:focus {
      left: 1rem;
      top: 1rem;
      background: #ffffff;
      padding: 0.5rem;
    }
  `,
];
