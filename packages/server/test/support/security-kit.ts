// Shared set-up for the security suites: the real app (createApp over createLedgerContext) on a
// PGlite store in a temporary folder, people created the way production creates them (a signed
// record posted to /v1/records), a snapshot of every table to prove "nothing changed", and the
// ledger's own verifier. Not a test file (no `.test.ts`), so the runner does not pick it up.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CreateRecordInput,
  createCommitment,
  createKeySigner,
  createRecord,
  generateSigningKeyPair,
  type Policy,
  type Signer,
  signRecord,
} from '@consentkit/core';
import type { IngestResult } from '../../src/ingest/ingest.js';
import { verifyLedger } from '../../src/ledger/verify-ledger.js';
import { createPgliteStore } from '../../src/platform/store/pglite-store.js';
import type { Store } from '../../src/platform/store/store.js';
import { loadPolicyFile } from '../../src/policy/policy-file.js';
import { type AppOptions, createApp } from '../../src/runtime/app.js';
import { createLedgerContext, type LedgerContext } from '../../src/runtime/context.js';
import { blindIndexOf, findSubjectByIndex } from '../../src/subjects/subject-lookup.js';
import { POLICY_FILE, TEST_API_KEY, TEST_MASTER_KEY } from './ledger-fixture.js';

export { TEST_API_KEY };

/** How many generated cases a server-side fuzz property runs (each is a real HTTP request + SQL). */
export function serverFuzzRuns(fallback = 150): number {
  const n = Number(process.env.CONSENTKIT_FUZZ_RUNS);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

export type Person = {
  readonly email: string;
  readonly ref: string;
  /** The form-submit record that created the person, and its receipt's sequence number. */
  readonly recordId: string;
  readonly seq: number;
  readonly jws: string;
  readonly opening: { salt: string; identifier: string; kind: 'email' };
  token(scope: string): Promise<string>;
};

export type SecurityKit = {
  readonly context: LedgerContext;
  readonly store: Store;
  readonly app: ReturnType<typeof createApp>;
  readonly policy: Policy;
  /** Everything the app logged as unexpected (the 500 path); a suite ends by asserting it is empty. */
  readonly logged: unknown[];
  request(path: string, init?: RequestInit): Promise<Response>;
  post(records: unknown, headers?: Record<string, string>): Promise<Response>;
  person(email?: string): Promise<Person>;
  signer(): Promise<Signer>;
  signed(
    signer: Signer,
    input: Partial<CreateRecordInput> & { email?: string; prev: string | null },
  ): Promise<{
    jws: string;
    digest: string;
    id: string;
    opening?: { salt: string; identifier: string; kind: 'email' };
  }>;
  /**
   * A digest of every row of every table (and the table list): equal snapshots mean nothing
   * changed. `ignore` leaves tables out by name (e.g. READ_AUDIT_TABLES for suites that read).
   */
  snapshot(options?: { ignore?: readonly string[] }): Promise<Snapshot>;
  verify(): Promise<Awaited<ReturnType<typeof verifyLedger>>>;
  close(): Promise<void>;
};

export type Snapshot = { readonly tables: Record<string, { rows: number; digest: string }> };

/**
 * The audit trail of reads (DESIGN: "audit trail of reads"): an authorised GET of a person's
 * state or records appends to it by design. Suites that assert "a read changed nothing" compare
 * every other table, and the list of tables.
 */
export const READ_AUDIT_TABLES = ['audit_log', 'audit_head'] as const;

let people = 0;

export async function createSecurityKit(
  options: { policy?: Policy; app?: Partial<Omit<AppOptions, 'context'>> } = {},
): Promise<SecurityKit> {
  const dir = mkdtempSync(join(tmpdir(), 'ck-security-'));
  const store = await createPgliteStore({ dataDir: dir });
  const policy = options.policy ?? loadPolicyFile(POLICY_FILE);
  const context = await createLedgerContext({ store, masterKey: TEST_MASTER_KEY, policy, checkpointEvery: 5 });
  const logged: unknown[] = [];
  const app = createApp({
    context,
    apiKey: TEST_API_KEY,
    publicUrl: 'https://ledger.example',
    log: (error) => logged.push(error),
    ...options.app,
    hostedPages: { onError: (error) => logged.push(error), ...options.app?.hostedPages },
  });
  const request = async (path: string, init?: RequestInit) => app.request(path, init);

  async function signer(): Promise<Signer> {
    const pair = await generateSigningKeyPair({ algorithm: 'ES256' });
    return createKeySigner({ privateKey: pair.privateKey, publicJwk: pair.publicJwk });
  }

  const signed: SecurityKit['signed'] = async (s, input) => {
    const { email, ...rest } = input;
    const commitment = email ? await createCommitment({ identifier: email }) : undefined;
    const record = await createRecord({
      subject: commitment ? { kind: 'commitment', commitment: commitment.commitment } : { kind: 'device' },
      policy,
      decisions: policy.purposes.map((p) => ({ purpose: p.id, granted: true, basis: p.basis })),
      method: 'form-submit',
      interaction: 'pointer',
      collectionPoint: { url: 'https://allstream.example/apply', form: 'application' },
      locale: 'en',
      gpc: false,
      ...rest,
    });
    const out = await signRecord({ record, signer: s });
    return {
      jws: out.jws,
      digest: out.digest,
      id: record.id,
      ...(commitment ? { opening: { ...commitment.opening, kind: 'email' as const } } : {}),
    };
  };

  const post = (records: unknown, headers: Record<string, string> = {}) =>
    request('/v1/records', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ records }),
    });

  async function person(email = `person-${++people}-${Date.now()}@example.test`): Promise<Person> {
    const s = await signer();
    const r = await signed(s, { email, prev: null });
    const response = await post([{ jws: r.jws, opening: r.opening }]);
    const body = (await response.json()) as { results: IngestResult[] };
    const result = body.results[0];
    if (response.status !== 200 || result?.status !== 'accepted') {
      throw new Error(`ingest answered ${response.status}: ${JSON.stringify(body)}`);
    }
    const subject = await findSubjectByIndex(store, await blindIndexOf(context.keyring, 'email', email));
    if (!subject || !r.opening) throw new Error('ingest made no subject');
    const ref = subject.ref;
    return {
      email,
      ref,
      recordId: r.id,
      seq: result.seq,
      jws: r.jws,
      opening: r.opening,
      token: (scope) => context.subjects.issueToken({ subjectRef: ref, scope }),
    };
  }

  async function snapshot(options: { ignore?: readonly string[] } = {}): Promise<Snapshot> {
    const names = await store.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    );
    const tables: Snapshot['tables'] = {};
    for (const { table_name: name } of names) {
      if (options.ignore?.includes(name)) {
        // Still listed, so a dropped table shows; only its rows are left out.
        tables[name] = { rows: -1, digest: 'ignored' };
        continue;
      }
      // Names come from the catalogue, not from input; quoting keeps odd ones safe all the same.
      const rows = await store.query(`SELECT * FROM "${name.replaceAll('"', '""')}" ORDER BY 1`);
      tables[name] = {
        rows: rows.length,
        digest: createHash('sha256').update(JSON.stringify(rows)).digest('hex'),
      };
    }
    return { tables };
  }

  return {
    context,
    store,
    app,
    policy,
    logged,
    request,
    post,
    person,
    signer,
    signed,
    snapshot,
    verify: async () => verifyLedger({ store, ledger: context.ledger, keys: await context.keyring.publicJwks() }),
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type Problem = { type: string; title: string; status: number; code: string; detail: string };

/** A 4xx from the API must be an RFC 9457 problem document that says what was wrong. */
export async function expectProblem(response: Response, label: string): Promise<Problem> {
  const text = await response.text();
  const fail = (why: string) => new Error(`${label}: ${why} (status ${response.status}, body ${text.slice(0, 300)})`);
  if (response.status < 400 || response.status >= 500) throw fail('expected a 4xx');
  if (!(response.headers.get('content-type') ?? '').startsWith('application/problem+json')) {
    throw fail(`content-type is ${response.headers.get('content-type')}`);
  }
  let body: Partial<Problem>;
  try {
    body = JSON.parse(text) as Partial<Problem>;
  } catch {
    throw fail('the body is not JSON');
  }
  if (body.status !== response.status) throw fail('problem.status differs from the HTTP status');
  for (const field of ['type', 'title', 'code', 'detail'] as const) {
    if (typeof body[field] !== 'string' || body[field] === '') throw fail(`problem.${field} is missing`);
  }
  return body as Problem;
}
