// @consentkit/test-support/server: what the server's suites (and the end-to-end journeys) share,
// Node only. The ledger over a test store, the in-process kit with its people, the CLI run
// in-process, the server as a child process, and where data is left in a store's raw files.
export type { CliLedger, CliRun, CliTarget, SeedRecord, TerminalRun } from './cli.js';
export { cli, cliOnTerminal, cliTargets, postChain, seedLedger } from './cli.js';
export { APPLICATION_FORM, postDashboardPeople } from './dashboard-people.js';
export type { ServedApp } from './http-bridge.js';
export { readBody, sendResponse, serveOverHttp, toRequest } from './http-bridge.js';
export type { KitSuite, LedgerKit, LedgerKitOptions, LedgerPerson, Problem, Snapshot } from './kit.js';
export { createLedgerKit, describeKitOnStores, expectProblem, READ_AUDIT_TABLES } from './kit.js';
export type { DiskSuite, StoreSuite, TestLedger, TestLedgerOptions } from './ledger.js';
export {
  createTestContext,
  createTestLedger,
  describeEachStore,
  describeOnDisk,
  FORM_DECISIONS,
  issueApiKey,
  POLICY_FILE,
  partnerSharing,
  postRecords,
  signedRecord,
} from './ledger.js';
export { dumpAllTables, filesContaining } from './raw-contents.js';
export type { ProcessRun } from './run-process.js';
export { runProcess } from './run-process.js';
export type { ServerProcess } from './server-process.js';
export { startServerProcess } from './server-process.js';
export type { DiskStoreTarget, DiskTestStore, StoreFactory, TestStore } from './stores.js';
export {
  createTestDatabase,
  freshPgliteStore,
  onDiskStoreTargets,
  storeFactories,
  testPostgresUrl,
  twoServerStores,
} from './stores.js';
export { insertForgedEntry, rewriteEntryRehashed } from './tamper.js';
