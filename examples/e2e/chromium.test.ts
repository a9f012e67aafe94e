// The end-to-end journeys in Chromium (puppeteer-core over CDP); the journeys live in support/journeys.ts.
import { describeJourneys } from './support/journeys.js';

describeJourneys('chromium');
