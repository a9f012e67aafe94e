// The Next.js journey in Chromium; it lives in support/next-journey.ts.
import { describeNextJourney } from './support/next-journey.js';

describeNextJourney('chromium');
