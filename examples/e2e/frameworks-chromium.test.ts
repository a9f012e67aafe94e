// The framework journeys in Chromium; they live in support/framework-journeys.ts.
import { describeFrameworkJourneys } from './support/framework-journeys.js';

describeFrameworkJourneys('chromium');
