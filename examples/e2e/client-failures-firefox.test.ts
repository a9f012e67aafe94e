// Failures are never silent, in Firefox ESR; the suite lives in support/client-failures.ts.
import { describeClientFailures } from './support/client-failures.js';

describeClientFailures('firefox');
