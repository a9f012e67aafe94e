// The framework journeys in Firefox ESR; they live in support/framework-journeys.ts.
import { describeFrameworkJourneys } from './support/framework-journeys.js';

describeFrameworkJourneys('firefox');
