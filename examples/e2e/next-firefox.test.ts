// The Next.js journey in Firefox ESR; it lives in support/next-journey.ts.
import { describeNextJourney } from './support/next-journey.js';

describeNextJourney('firefox');
