// Issue 9 "clients under faults" in Chromium; the suite lives in support/clients-under-faults.ts.
import { describeClientsUnderFaults } from './support/clients-under-faults.js';

describeClientsUnderFaults('chromium');
