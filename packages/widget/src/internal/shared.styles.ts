import { css } from './css.js';

/**
 * What every element's host shares: a block that takes the theme's colour and font, and hides;
 * while its language's strings load it keeps its place, invisible (config-controller.ts).
 */
export const hostStyles = css`
  :host {
    display: block;
    color: var(--consent-color, inherit);
    font: var(--consent-font, inherit);
  }
  :host([hidden]) {
    display: none;
  }
  :host([data-locale-pending]) {
    visibility: hidden;
  }
`;

/** Base styles every panel-like element shares: the host, theming hooks, focus ring, 24px targets. */
export const panelStyles = [
  hostStyles,
  css`
    button,
    input {
      font: inherit;
    }
    button {
      min-block-size: 24px;
      min-inline-size: 24px;
      padding: var(--consent-button-padding, 0.375em 0.875em);
      border: 1px solid var(--consent-button-border-color, currentColor);
      border-radius: var(--consent-radius, 0.25em);
      background: var(--consent-button-background, transparent);
      color: var(--consent-button-color, inherit);
      cursor: pointer;
    }
    button:focus-visible,
    input:focus-visible {
      outline: var(--consent-focus-ring-width, 3px) solid var(--consent-focus-ring-color, #1a5fb4);
      outline-offset: 2px;
    }
    @media (forced-colors: active) {
      button:focus-visible,
      input:focus-visible {
        outline-color: Highlight;
      }
    }
  `,
];
