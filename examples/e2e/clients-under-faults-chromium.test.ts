// Clients under faults (nothing lost) in Chromium; the suite lives in support/clients-under-faults.ts.
import { describeClientsUnderFaults } from './support/clients-under-faults.js';

describeClientsUnderFaults('chromium');
