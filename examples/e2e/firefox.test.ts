// The end-to-end journeys in Firefox ESR (puppeteer-core over WebDriver BiDi); the journeys live in
// support/journeys.ts.
import { describeJourneys } from './support/journeys.js';

describeJourneys('firefox');
