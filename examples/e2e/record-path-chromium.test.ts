// The record path loads after the control is usable, in Chromium; the suite lives in support/record-path.ts.
import { describeRecordPath } from './support/record-path.js';

describeRecordPath('chromium');
