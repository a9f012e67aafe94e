// The in-process server kit: the real app (createApp over createLedgerContext) on a store the
// suite picks (in-memory PGlite by default, a PGlite folder on disk, or one of the test stores),
// people made the production way (a person's signed record posted to /v1/records), a snapshot of
// every table to prove "nothing changed", and the ledger's own verifier.

import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe } from 'node:test';
import type { CommitmentOpening, ConsentState, Policy, Signer } from '@consentkit/core';
import type { IngestResult } from '../../server/src/ingest/ingest.js';
import { verifyLedger } from '../../server/src/ledger/verify-ledger.js';
import { createPgliteStore } from '../../server/src/platform/store/pglite-store.js';
import type { Store } from '../../server/src/platform/store/store.js';
import { type AppOptions, createApp } from '../../server/src/runtime/app.js';
import type { LedgerContext } from '../../server/src/runtime/context.js';
import { findSubjectByName } from '../../server/src/subjects/subject-lookup.js';
import { exposeIdentifiers } from '../identifiers.js';
import { createTestSigner, TEST_API_KEY } from '../keys.js';
import { createPerson, type Person, type SignedTestRecord, type SignInput } from '../people.js';
import { createTestContext } from './ledger.js';
import { freshPgliteStore, type StoreFactory, storeFactories } from './stores.js';

/** A person the ledger knows: made by createPerson, their first record (the form) accepted. */
export type LedgerPerson = Person & {
  readonly email: string;
  readonly ref: string;
  /** The form-submit record that made the ledger know them, and its receipt's sequence number. */
  readonly recordId: string;
  readonly seq: number;
  readonly jws: string;
  readonly opening: CommitmentOpening;
  token(scope: string): Promise<string>;
  /** Ledger entries for this person beyond the form submission: each is one state change. */
  transitions(): Promise<number>;
  state(): Promise<ConsentState>;
  /** State as the admin API reports it (GET /v1/subjects/{ref}/state). */
  apiState(): Promise<ConsentState>;
};

export type LedgerKit = {
  readonly context: LedgerContext;
  readonly store: Store;
  readonly app: ReturnType<typeof createApp>;
  readonly policy: Policy;
  /** The key the app signs CSRF fields with (the ledger keeps it in its keyring). */
  readonly csrfKey: Uint8Array;
  /** Everything the app logged as unexpected (the 500 path); a suite ends by asserting it is empty. */
  readonly logged: unknown[];
  request(path: string, init?: RequestInit): Promise<Response>;
  post(records: unknown, headers?: Record<string, string>): Promise<Response>;
  /** A new person (a fresh address unless `email`), made known to the ledger the production way. */
  person(email?: string): Promise<LedgerPerson>;
  signer(): Promise<Signer>;
  /** A record on `signer` at chain position `prev`, granting every purpose unless `decisions` say otherwise. */
  signed(
    signer: Signer,
    input: SignInput & { email?: string; prev: string | null },
  ): Promise<SignedTestRecord & { id: string }>;
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

export type LedgerKitOptions = {
  /** AllStream unless given (testPolicy() variants). */
  policy?: Policy;
  /** One of the test stores (PGlite or the throwaway PostgreSQL); default in-memory PGlite. */
  stores?: StoreFactory;
  /** A PGlite data folder on disk, removed on close (suites that look at raw files). */
  onDisk?: boolean;
  checkpointEvery?: number;
  app?: Partial<Omit<AppOptions, 'context'>>;
};

/**
 * CONSENTKIT_KIT_STORE=postgres puts every kit that names no store on the throwaway PostgreSQL
 * instead of PGlite (the log scan in packages/server/test/ops runs the bad-input suites that way).
 */
function defaultStores(): StoreFactory | undefined {
  return process.env.CONSENTKIT_KIT_STORE === 'postgres'
    ? storeFactories().find((f) => f.name === 'postgres')
    : undefined;
}

export async function createLedgerKit(options: LedgerKitOptions = {}): Promise<LedgerKit> {
  const stores = options.stores ?? defaultStores();
  const dir = options.onDisk && !stores ? mkdtempSync(join(tmpdir(), 'ck-kit-')) : undefined;
  const opened = stores
    ? await stores.create()
    : await (dir ? createPgliteStore({ dataDir: dir }) : freshPgliteStore()).then((store) => ({
        store,
        close: () => store.close(),
      }));
  const { store } = opened;
  const context = await createTestContext(store, options);
  const policy = context.policies.current;
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

  const signed: LedgerKit['signed'] = async (signer, input) => {
    const { email, ...rest } = input;
    const out = await (await createPerson({ policy, email: email ?? null, signer })).sign(rest);
    return { ...out, id: out.record.id };
  };

  const post = (records: unknown, headers: Record<string, string> = {}) =>
    request('/v1/records', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ records }),
    });

  async function person(email?: string): Promise<LedgerPerson> {
    const made = await createPerson({ policy, ...(email === undefined ? {} : { email }) });
    const first = await made.sign();
    const response = await post([{ jws: first.jws, opening: first.opening }]);
    const body = (await response.json()) as { results: IngestResult[] };
    const result = body.results[0];
    if (response.status !== 200 || result?.status !== 'accepted') {
      throw new Error(`ingest answered ${response.status}: ${JSON.stringify(body)}`);
    }
    const subject = made.email === null ? undefined : await findSubjectByName(store, context.keyring, made.email);
    if (!subject || !first.opening || made.email === null) throw new Error('ingest made no subject');
    const ref = subject.ref;
    exposeIdentifiers('ref', ref);
    return Object.assign(made, {
      email: made.email,
      ref,
      recordId: first.record.id,
      seq: result.seq,
      jws: first.jws,
      opening: first.opening,
      async token(scope: string) {
        const token = await context.subjects.issueToken({ subjectRef: ref, scope });
        exposeIdentifiers('token', token);
        return token;
      },
      transitions: async () => (await context.ledger.historyOf(store, ref)).length - 1,
      state: () => context.subjects.state(ref),
      async apiState() {
        const res = await request(`/v1/subjects/${ref}/state`, {
          headers: { Authorization: `Bearer ${TEST_API_KEY}` },
        });
        if (res.status !== 200) throw new Error(`state API answered ${res.status}`);
        return ((await res.json()) as { state: ConsentState }).state;
      },
    });
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
    csrfKey: context.keyring.csrfKey,
    logged,
    request,
    post,
    person,
    signer: () => createTestSigner(),
    signed,
    snapshot,
    verify: async () => verifyLedger({ store, ledger: context.ledger, keys: await context.keyring.publicJwks() }),
    async close() {
      await opened.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
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

/** A suite's kit on one store, and the new person each of its tests starts with. */
export type KitSuite = { readonly store: string; kit: LedgerKit; person: LedgerPerson };

/**
 * Declares `suite` once per test store (PGlite, then the throwaway PostgreSQL), on a kit made before
 * its tests and closed after them, with a new person made known to the ledger before each test.
 */
export function describeKitOnStores(
  title: string,
  options: Omit<LedgerKitOptions, 'stores'>,
  suite: (k: KitSuite) => void,
): void {
  for (const stores of storeFactories()) {
    describe(`${title} (${stores.name})`, () => {
      const k = { store: stores.name } as KitSuite;
      before(async () => {
        k.kit = await createLedgerKit({ ...options, stores });
      });
      beforeEach(async () => {
        k.person = await k.kit.person();
      });
      suite(k);
      after(() => k.kit.close());
    });
  }
}
