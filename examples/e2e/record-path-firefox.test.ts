// The record path loads after the control is usable, in Firefox ESR; the suite lives in support/record-path.ts.
import { describeRecordPath } from './support/record-path.js';

describeRecordPath('firefox');
