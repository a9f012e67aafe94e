// The frameworks' development builds in Chromium (their warnings are on there); see
// support/development-builds.ts.
import { describeDevelopmentBuilds } from './support/development-builds.js';

describeDevelopmentBuilds('chromium');
