// Failures are never silent, in Chromium; the suite lives in support/client-failures.ts.
import { describeClientFailures } from './support/client-failures.js';

describeClientFailures('chromium');
