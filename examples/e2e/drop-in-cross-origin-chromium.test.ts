// The README's drop-in snippet on another origin, in Chromium; the suite lives in support/drop-in-cross-origin.ts.
import { describeDropInCrossOrigin } from './support/drop-in-cross-origin.js';

describeDropInCrossOrigin('chromium');
