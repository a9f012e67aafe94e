// How Node test files run here: TypeScript sources through tsx, the mocha-style globals, and the
// export condition that resolves our packages to their sources. scripts/test.mjs and the log scan
// (packages/server/test/ops/log-scan.node.test.ts) both start `node --test` with these.
export const NODE_TEST_LOADER = [
  '--import',
  'tsx',
  '--import',
  './scripts/testing/node-globals.mjs',
  '--conditions=@consentkit/source',
];
