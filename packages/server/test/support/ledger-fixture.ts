import { fileURLToPath } from 'node:url';
import {
  type ConsentRecord,
  type CreateRecordInput,
  createCommitment,
  createKeySigner,
  createRecord,
  type Decision,
  generateSigningKeyPair,
  type Policy,
  type Signer,
  signRecord,
} from '@consentkit/core';
import { type ApiScope, createApiKey } from '../../src/access/api-keys.js';
import type { Queryable, Store } from '../../src/platform/store/store.js';
import { loadPolicyFile } from '../../src/policy/policy-file.js';
import { createApp } from '../../src/runtime/app.js';
import { createLedgerContext, type LedgerContext } from '../../src/runtime/context.js';

export const POLICY_FILE = fileURLToPath(new URL('../../../../examples/policies/allstream.json', import.meta.url));
export const TEST_API_KEY = 'test-admin-key-0123456789abcdef';
export const TEST_MASTER_KEY = new Uint8Array(32).fill(7);
export const TEST_MASTER_KEY_B64 = Buffer.from(TEST_MASTER_KEY).toString('base64url');

export function testPolicy(): Policy {
  return loadPolicyFile(POLICY_FILE);
}

export type TestLedger = { context: LedgerContext; app: ReturnType<typeof createApp>; policy: Policy };

export async function createTestLedger(
  store: Store,
  options: { checkpointEvery?: number; maxBatch?: number; maxBodyBytes?: number; corsOrigins?: string[] } = {},
): Promise<TestLedger> {
  const policy = testPolicy();
  const context = await createLedgerContext({
    store,
    masterKey: TEST_MASTER_KEY,
    policy,
    ...(options.checkpointEvery ? { checkpointEvery: options.checkpointEvery } : {}),
  });
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
  return { context, app, policy };
}

/** A device signer, as the SDK would hold in a browser (core's real key signer). */
export async function createDeviceSigner(): Promise<Signer> {
  const pair = await generateSigningKeyPair({ algorithm: 'ES256' });
  return createKeySigner({ privateKey: pair.privateKey, publicJwk: pair.publicJwk });
}

export type SignedTestRecord = {
  jws: string;
  record: ConsentRecord;
  digest: string;
  opening?: { salt: string; identifier: string; kind: 'email' };
};

/** Signs a form-submit record for `email` (a commitment plus its opening), chained on `prev`. */
export async function signedRecord(options: {
  signer: Signer;
  policy: Policy;
  prev: string | null;
  email?: string;
  decisions?: CreateRecordInput['decisions'];
  override?: Partial<CreateRecordInput>;
}): Promise<SignedTestRecord> {
  const commitment = options.email ? await createCommitment({ identifier: options.email }) : undefined;
  const record = await createRecord({
    subject: commitment ? { kind: 'commitment', commitment: commitment.commitment } : { kind: 'device' },
    policy: options.policy,
    decisions: options.decisions ?? [
      { purpose: 'application-processing', granted: true, basis: 'implied' },
      { purpose: 'marketing', granted: true, basis: 'opt-out' },
    ],
    method: 'form-submit',
    interaction: 'pointer',
    collectionPoint: { url: 'https://allstream.example/apply', form: 'application' },
    locale: 'en',
    jurisdiction: 'CA',
    gpc: false,
    prev: options.prev,
    ...options.override,
  });
  const signed = await signRecord({ record, signer: options.signer });
  return { ...signed, ...(commitment ? { opening: { ...commitment.opening, kind: 'email' as const } } : {}) };
}

/** Application processing implied, partner sharing granted or withdrawn: what partner webhooks carry. */
export const partnerSharing = (granted: boolean): Decision[] => [
  { purpose: 'application-processing', granted: true, basis: 'implied' },
  { purpose: 'partner-sharing', granted, basis: 'express', interaction: 'pointer' },
];

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
