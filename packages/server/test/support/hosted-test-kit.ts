// Test kit for the hosted-page suites: the real ledger on in-memory PGlite, a policy with a GPC
// purpose, a subject, and tokens. Not a test file itself (no *.test.ts), so the runner skips it.
import {
  type ConsentState,
  createCommitment,
  createKeySigner,
  createRecord,
  generateSigningKeyPair,
  type Policy,
  signRecord,
} from '@consentkit/core';
import { createPgliteStore } from '../../src/platform/store/pglite-store.js';
import { createApp } from '../../src/runtime/app.js';
import { createLedgerContext, type LedgerContext } from '../../src/runtime/context.js';
import { blindIndexOf, findSubjectByIndex } from '../../src/subjects/subject-lookup.js';
import type { StoreFactory, TestStore } from './stores.js';

const text = (en: string, fr = `${en} (fr)`) => ({ en, fr });

const API_KEY = 'test-api-key-0123456789abcdef';

export const HOSTILE = `<script>alert(1)</script>"'><img src=x onerror=alert(2)>`;

export function testPolicy(overrides: { marketingTitle?: string; organisation?: string } = {}): Policy {
  const base = {
    retention: 'P2Y',
    recipients: [],
    dataCategories: ['contact'],
    sensitive: false,
  };
  return {
    id: 'hosted-test',
    version: '1',
    url: 'https://example.test/privacy',
    effectiveDate: '2026-11-01',
    defaultLocale: 'en',
    locales: ['en', 'fr'],
    controller: {
      name: overrides.organisation ?? 'Example Co',
      contact: { email: 'privacy@example.test' },
      address: { street: '1 Main St', locality: 'Toronto', postalCode: 'M5V 0A1', country: 'CA' },
    },
    jurisdiction: 'CA',
    dataCategories: [
      {
        id: 'contact',
        type: text('Contact information'),
        collected: [text('Name')],
        collectedBy: text('Website'),
        purpose: text('Applications'),
        usedBy: text('Website'),
        storedIn: text('Electronic file'),
        sharedWith: [],
        sensitive: false,
      },
    ],
    recipients: [],
    purposes: [
      {
        ...base,
        id: 'application',
        title: text('Processing your application', 'Traitement de votre demande'),
        description: text('To handle your application.'),
        basis: 'implied',
        legalBasis: 'implied-consent',
        primary: true,
      },
      {
        ...base,
        id: 'marketing',
        title: text(
          overrides.marketingTitle ?? 'Marketing emails',
          overrides.marketingTitle ?? 'Courriels de marketing',
        ),
        description: text('News and offers.', 'Des nouvelles et des offres.'),
        basis: 'opt-out',
        legalBasis: 'casl-implied-ebr',
        primary: false,
      },
      {
        ...base,
        id: 'ad-sharing',
        title: text('Sharing for advertising', 'Partage à des fins publicitaires'),
        description: text('Sharing with ad partners.'),
        basis: 'opt-out',
        legalBasis: 'legitimate-interest',
        primary: false,
        gpc: 'sharing',
      },
    ],
    recordRetention: 'P6Y',
    practices: {
      express: text('Express.'),
      implied: text('Implied.'),
      optOut: text('Opt-out.'),
      withdrawal: text('Withdraw any time.'),
      security: text('Encrypted.'),
      destruction: text('Destroyed when outdated.'),
      thirdParties: text('Held to our standard.'),
    },
    promises: { neverRefuseService: true, consentBeforeNewPurpose: true, text: text('We never refuse service.') },
  };
}

/** One person the ledger knows: they submitted the application form with nothing opted out. */
export type Person = {
  ref: string;
  token(scope: string): Promise<string>;
  /** Ledger entries for this person beyond the form submission: each is one state change. */
  transitions(): Promise<number>;
  state(): Promise<ConsentState>;
  /** State as the admin API reports it (GET /v1/subjects/{ref}/state). */
  apiState(): Promise<ConsentState>;
};

export type Kit = {
  ctx: LedgerContext;
  /** The key the app signs CSRF fields with (the ledger keeps it in its keyring). */
  csrfKey: Uint8Array;
  request(path: string, init?: RequestInit): Promise<Response>;
  /** A new person, created the way production creates them: a signed record posted to /v1/records. */
  person(): Promise<Person>;
  close(): Promise<void>;
};

let people = 0;

export type KitOptions = {
  policy?: Policy;
  /** One of the ledger's test stores (PGlite or the throwaway PostgreSQL); in-memory PGlite if omitted. */
  stores?: StoreFactory;
};

export async function createKit(options: KitOptions = {}): Promise<Kit> {
  const policy = options.policy ?? testPolicy();
  const testStore: TestStore = options.stores
    ? await options.stores.create()
    : await createPgliteStore().then((store) => ({ store, close: () => store.close() }));
  const { store } = testStore;
  const ctx = await createLedgerContext({ store, masterKey: new Uint8Array(32).fill(7), policy });
  const app = createApp({ context: ctx, apiKey: API_KEY, publicUrl: 'http://localhost' });
  const request = async (path: string, init?: RequestInit) => app.request(path, init);

  async function person(): Promise<Person> {
    const email = `person-${++people}@example.test`;
    const { commitment, opening } = await createCommitment({ identifier: email });
    const pair = await generateSigningKeyPair({ algorithm: 'ES256' });
    const signer = await createKeySigner({ privateKey: pair.privateKey, publicJwk: pair.publicJwk });
    const record = await createRecord({
      subject: { kind: 'commitment', commitment },
      policy,
      decisions: policy.purposes.map((p) => ({ purpose: p.id, granted: true, basis: p.basis })),
      method: 'form-submit',
      interaction: 'pointer',
      collectionPoint: { url: 'https://example.test/apply', form: 'application' },
      locale: 'en',
      gpc: false,
      prev: null,
    });
    const { jws } = await signRecord({ record, signer });
    const res = await request('/v1/records', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ records: [{ jws, opening }] }),
    });
    if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
    const subject = await findSubjectByIndex(store, await blindIndexOf(ctx.keyring, 'email', email));
    if (!subject) throw new Error(`ingest made no subject: ${await res.text()}`);
    const ref = subject.ref;
    return {
      ref,
      token: (scope) => ctx.subjects.issueToken({ subjectRef: ref, scope }),
      transitions: async () => (await ctx.ledger.historyOf(store, ref)).length - 1,
      state: () => ctx.subjects.state(ref),
      async apiState() {
        const res = await request(`/v1/subjects/${ref}/state`, { headers: { Authorization: `Bearer ${API_KEY}` } });
        if (res.status !== 200) throw new Error(`state API answered ${res.status}`);
        return ((await res.json()) as { state: ConsentState }).state;
      },
    };
  }

  return { ctx, csrfKey: ctx.keyring.csrfKey, request, person, close: () => testStore.close() };
}
