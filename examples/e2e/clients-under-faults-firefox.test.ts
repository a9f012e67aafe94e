// Clients under faults (nothing lost) in Firefox ESR; the suite lives in support/clients-under-faults.ts.
import { describeClientsUnderFaults } from './support/clients-under-faults.js';

describeClientsUnderFaults('firefox');
