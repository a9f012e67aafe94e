import { css } from 'lit';

/**
 * What every panel shares: readable type, tables, buttons, inputs and a focus ring that shows in
 * every mode. Colours meet WCAG AA contrast on white; under forced colours (Windows High
 * Contrast) the system colours take over and borders keep the structure visible.
 */
export const sharedStyles = css`
  :host {
    display: block;
    color: #1a1a1a;
    font-family: system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif;
    line-height: 1.5;
  }
  section {
    border: 1px solid #8a8f98;
    border-radius: 0.5rem;
    padding: 1rem 1.25rem;
    margin: 1rem 0;
    background: #ffffff;
  }
  h2 {
    font-size: 1.25rem;
    margin: 0 0 0.75rem;
  }
  p {
    margin: 0.5rem 0;
  }
  /* Positioned, so the visually hidden text in a wide table (badges' details) is clipped with the
     table instead of widening the whole page on a narrow screen. */
  .scroll {
    position: relative;
    overflow-x: auto;
  }
  table {
    border-collapse: collapse;
    width: 100%;
    font-variant-numeric: tabular-nums;
  }
  caption {
    text-align: start;
    font-weight: 600;
    padding: 0.25rem 0;
  }
  th,
  td {
    border-bottom: 1px solid #8a8f98;
    padding: 0.375rem 0.5rem;
    text-align: start;
    vertical-align: top;
  }
  td.num,
  th.num {
    text-align: end;
  }
  button {
    font: inherit;
    font-weight: 600;
    min-height: 44px;
    min-width: 44px;
    padding: 0.5rem 1rem;
    border-radius: 0.375rem;
    border: 2px solid #0b57d0;
    background: #0b57d0;
    color: #ffffff;
    cursor: pointer;
  }
  button.secondary {
    background: #ffffff;
    color: #0b57d0;
  }
  input,
  select {
    /* Padding and border inside the width: a 100 % field stays inside its card. */
    box-sizing: border-box;
    max-width: 100%;
    font: inherit;
    min-height: 44px;
    padding: 0.25rem 0.5rem;
    border: 1px solid #5f6368;
    border-radius: 0.25rem;
    background: #ffffff;
    color: #1a1a1a;
  }
  label {
    font-weight: 600;
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 0.25rem;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem;
    align-items: flex-end;
  }
  /* Blue, not the red of .error and failed badges: focus must not read as a problem. */
  :focus-visible {
    outline: 3px solid #1a5fb4;
    outline-offset: 2px;
  }
  .error {
    border-inline-start: 4px solid #b3261e;
    padding: 0.5rem 0.75rem;
    background: #fbe9e7;
  }
  .muted {
    color: #4a4a4a;
  }
  .badge {
    display: inline-block;
    border: 1px solid currentColor;
    border-radius: 0.25rem;
    padding: 0 0.375rem;
    margin: 0 0.25rem 0.25rem 0;
    white-space: nowrap;
  }
  .badge.ok {
    color: #0a6b2d;
  }
  .badge.fail {
    color: #b3261e;
    font-weight: 700;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  @media (forced-colors: active) {
    section,
    th,
    td,
    .badge {
      border-color: CanvasText;
    }
    button {
      border-color: ButtonText;
    }
    :focus-visible {
      outline-color: Highlight;
    }
  }
`;
