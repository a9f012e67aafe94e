import { css } from 'lit';
import { sharedStyles } from '../internal/shared.styles.js';

export const purposeChartStyles = [
  sharedStyles,
  css`
    svg {
      width: 100%;
      max-width: 48rem;
      height: auto;
      display: block;
      margin: 0.75rem 0;
    }
    .axis {
      stroke: #5f6368;
      stroke-width: 1;
    }
    .tick {
      fill: #1a1a1a;
      font-size: 12px;
    }
    .granted {
      fill: #0a6b2d;
    }
    .opted-out {
      fill: #b3261e;
    }
    .withdrawn {
      fill: #8a4b00;
    }
    .legend {
      display: flex;
      flex-wrap: wrap;
      gap: 1rem;
      list-style: none;
      padding: 0;
      margin: 0.25rem 0;
    }
    .swatch {
      display: inline-block;
      width: 0.875rem;
      height: 0.875rem;
      margin-inline-end: 0.375rem;
      vertical-align: -0.125rem;
      border: 1px solid #1a1a1a;
    }
    .swatch.granted {
      background: #0a6b2d;
    }
    .swatch.opted-out {
      background: #b3261e;
    }
    .swatch.withdrawn {
      background: #8a4b00;
    }
    .scroll {
      max-height: 20rem;
      overflow: auto;
    }
    @media (forced-colors: active) {
      .granted {
        fill: CanvasText;
      }
      .opted-out {
        fill: Highlight;
      }
      .withdrawn {
        fill: GrayText;
      }
      .swatch {
        forced-color-adjust: none;
      }
      .swatch.granted {
        background: CanvasText;
      }
      .swatch.opted-out {
        background: Highlight;
      }
      .swatch.withdrawn {
        background: GrayText;
      }
      .axis {
        stroke: CanvasText;
      }
      .tick {
        fill: CanvasText;
      }
    }
  `,
];
