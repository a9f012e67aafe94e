/**
 * `DEV` gates verbose, developer-facing warnings. Sources (tests, bundlers that compile our
 * TypeScript) run with it on; the rollup builds swap this module for `DEV = false` so the
 * long strings never ship (the size check lists them as must-not-appear).
 */
export const DEV: boolean = true;
