/**
 * A real ledger for a server suite: the context (store, keys, policy) and the app over a store the
 * suite chose, with the shared test keys; and the records a device posts to it. Records are signed
 * by people (../people.ts), the one way a test makes a person.
 */
import { after, before, describe } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { CreateRecordInput, Decision, Policy, Signer } from '@consentkit/core';
import { type ApiScope, createApiKey } from '../../server/src/access/api-keys.js';
import { type LedgerVerification, verifyLedger } from '../../server/src/ledger/verify-ledger.js';
import type { Queryable, Store } from '../../server/src/platform/store/store.js';
import { createApp } from '../../server/src/runtime/app.js';
import { createLedgerContext, type LedgerContext } from '../../server/src/runtime/context.js';
import { findSubjectByName } from '../../server/src/subjects/subject-lookup.js';
import { TEST_API_KEY, TEST_MASTER_KEY } from '../keys.js';
import { createPerson, type SignedTestRecord } from '../people.js';
import { testPolicy } from '../policy/index.js';
import { dumpAllTables, filesContaining } from './raw-contents.js';
import { type DiskTestStore, onDiskStoreTargets, storeFactories, type TestStore } from './stores.js';

/** examples/policies/allstream.json: what `--policy` names for the CLI and server-process suites. */
export const POLICY_FILE = fileURLToPath(new URL('../../../examples/policies/allstream.json', import.meta.url));

export type TestLedger = {
  context: LedgerContext;
  app: ReturnType<typeof createApp>;
  policy: Policy;
  /**
   * Makes `email` known to the ledger the production way (a person's form record posted to
   * /v1/records, on a device of their own) and answers the subject reference it was given.
   */
  enrol(email: string): Promise<string>;
  /** `verifyLedger` over this ledger's store with its own keys (what `consentkit verify` runs). */
  verify(): Promise<LedgerVerification>;
};

export type TestLedgerOptions = {
  checkpointEvery?: number;
  maxBatch?: number;
  maxBodyBytes?: number;
  corsOrigins?: string[];
  policy?: Policy;
};

/** The ledger's context on `store` with the shared test master key: AllStream unless `policy`. */
export function createTestContext(
  store: Store,
  options: { policy?: Policy; checkpointEvery?: number } = {},
): Promise<LedgerContext> {
  return createLedgerContext({
    store,
    masterKey: TEST_MASTER_KEY,
    policy: options.policy ?? testPolicy(),
    ...(options.checkpointEvery ? { checkpointEvery: options.checkpointEvery } : {}),
  });
}

/** The ledger on `store`: AllStream (or `policy`), the test master key and admin key, no rate limits. */
export async function createTestLedger(store: Store, options: TestLedgerOptions = {}): Promise<TestLedger> {
  const context = await createTestContext(store, options);
  const policy = context.policies.current;
  const app = createApp({
    context,
    apiKey: TEST_API_KEY,
    publicUrl: 'https://ledger.example',
    ...(options.maxBatch ? { maxBatch: options.maxBatch } : {}),
    ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
    ...(options.corsOrigins ? { corsOrigins: options.corsOrigins } : {}),
    hostedPages: { widgetScript: false },
    log: () => {},
  });
  async function enrol(email: string): Promise<string> {
    const signed = await (await createPerson({ policy, email })).sign({
      decisions: [...FORM_DECISIONS],
      jurisdiction: 'CA',
    });
    const response = await postRecords(app, [{ jws: signed.jws, opening: signed.opening }]);
    const subject = await findSubjectByName(store, context.keyring, email);
    if (!subject) throw new Error(`ingest made no subject for ${email}: ${response.status} ${await response.text()}`);
    return subject.ref;
  }
  const verify = async () => verifyLedger({ store, ledger: context.ledger, keys: await context.keyring.publicJwks() });
  return { context, app, policy, enrol, verify };
}

/** A suite's ledger on one store: set before the suite's tests run, closed after them. */
export type StoreSuite = { readonly store: TestStore['store']['kind']; db: TestStore; t: TestLedger };

/**
 * Declares `suite` once per test store (PGlite, then the throwaway PostgreSQL), titled
 * `title (store)`, each on a fresh ledger made before its tests and closed after them.
 */
export function describeEachStore(title: string, suite: (s: StoreSuite) => void, options: TestLedgerOptions = {}) {
  for (const factory of storeFactories()) {
    describe(`${title} (${factory.name})`, () => {
      const s = { store: factory.name } as StoreSuite;
      before(async () => {
        s.db = await factory.create();
        s.t = await createTestLedger(s.db.store, options);
      });
      suite(s);
      after(() => s.db.close());
    });
  }
}

/** What the application form records: the primary purpose implied, marketing left opted in. */
export const FORM_DECISIONS: readonly Decision[] = [
  { purpose: 'application-processing', granted: true, basis: 'implied' },
  { purpose: 'marketing', granted: true, basis: 'opt-out' },
];

/**
 * One record signed on `signer` at chain position `prev` (a device's chain may carry several
 * people): the record `email`'s person signs on that device, the form's decisions unless given.
 */
export async function signedRecord(options: {
  signer: Signer;
  policy: Policy;
  prev: string | null;
  email?: string;
  decisions?: CreateRecordInput['decisions'];
  override?: Partial<CreateRecordInput>;
}): Promise<SignedTestRecord> {
  const person = await createPerson({ policy: options.policy, email: options.email ?? null, signer: options.signer });
  return person.sign({
    decisions: options.decisions ?? [...FORM_DECISIONS],
    jurisdiction: 'CA',
    prev: options.prev,
    ...options.override,
  });
}

/** Application processing implied, partner sharing granted or withdrawn: what partner webhooks carry. */
export const partnerSharing = (granted: boolean): Decision[] => [
  { purpose: 'application-processing', granted: true, basis: 'implied' },
  { purpose: 'partner-sharing', granted, basis: 'express', interaction: 'pointer' },
];

/** POST /v1/records with `records` (or a raw body), in-process. */
export async function postRecords(app: TestLedger['app'], records: unknown, headers: Record<string, string> = {}) {
  const response = await app.request('/v1/records', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof records === 'string' ? records : JSON.stringify({ records }),
  });
  return response;
}

/** A stored, scoped API key (what `consentkit keys api create` makes), for suites that need one. */
export async function issueApiKey(store: Queryable, scope: ApiScope, name = 'test key'): Promise<string> {
  return (await createApiKey(store, { name, scope })).key;
}

/** A suite's ledger on a store whose raw data can be searched, and the canary stored in it. */
export type DiskSuite = {
  readonly store: string;
  disk: DiskTestStore;
  t: TestLedger;
  readonly canary: string;
  /**
   * Which of `needles` are still in the store: in any row of any table (as text, any case) and,
   * on PGlite, in any file of its data folder (the store is closed first, so PGlite flushes what it
   * holds in memory). Throws if the canary is not found in each place: then the search sees nothing.
   */
  leftovers(needles: readonly string[]): Promise<string[]>;
};

/**
 * Declares `suite` once per on-disk store (a PGlite data folder, a PostgreSQL database), each on a
 * fresh ledger (a checkpoint every 2 entries) that holds a canary: an API key named with a value
 * certainly stored in clear, so a search of the raw data that finds nothing is shown to look at
 * table contents at all.
 */
export function describeOnDisk(title: string, suite: (d: DiskSuite) => void): void {
  for (const target of onDiskStoreTargets('ck-disk-')) {
    describe(`${title} (${target.name})`, () => {
      const d = {
        store: target.name,
        canary: `canary-key-name-${Math.random().toString(36).slice(2, 10)}`,
        async leftovers(needles: readonly string[]) {
          const dump = await dumpAllTables(d.disk.store);
          // Booleans, not the dump in a message: a failure must not print the whole database.
          if (!dump.includes(d.canary)) throw new Error('the canary is not in the table dump: the search sees nothing');
          const found = needles.filter((needle) => dump.includes(needle.toLowerCase()));
          const { dataDir } = d.disk;
          if (dataDir) {
            await d.disk.store.close();
            if (filesContaining(dataDir, d.canary).length === 0) {
              throw new Error('the canary is in no file of the data folder: the search sees nothing');
            }
            found.push(...needles.filter((needle) => filesContaining(dataDir, needle).length > 0));
          }
          return [...new Set(found)];
        },
      } as DiskSuite;
      before(async () => {
        d.disk = await target.create();
        d.t = await createTestLedger(d.disk.store, { checkpointEvery: 2 });
        await createApiKey(d.disk.store, { name: d.canary, scope: 'read' });
      });
      suite(d);
      after(async () => {
        await d.disk.store.close().catch(() => {});
        await d.disk.drop();
      });
    });
  }
}
