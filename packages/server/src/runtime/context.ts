import type { Policy, SigningAlgorithm } from '@consentkit/core';
import { createIngestor, type Ingestor } from '../ingest/ingest.js';
import { createLedger, type Ledger } from '../ledger/ledger.js';
import { createPartnerRegistry, type PartnerRegistry } from '../partners/partner-registry.js';
import { createKeyring, type Keyring } from '../platform/crypto/keyring.js';
import { migrate } from '../platform/store/migrate.js';
import type { Store } from '../platform/store/store.js';
import { createPolicyRegistry, type PolicyRegistry } from '../policy/policy-registry.js';
import { createSubjectService, type SubjectService } from '../subjects/subject-service.js';

/** Everything the routes and the CLI share, wired once over one store. */
export type LedgerContext = {
  readonly store: Store;
  readonly keyring: Keyring;
  readonly ledger: Ledger;
  readonly policies: PolicyRegistry;
  readonly ingestor: Ingestor;
  readonly subjects: SubjectService;
  /** Third parties that receive opt-out / withdrawal webhooks (secrets sealed under the master key). */
  readonly partners: PartnerRegistry;
};

export type LedgerContextOptions = {
  readonly store: Store;
  readonly masterKey: Uint8Array;
  readonly policy: Policy;
  readonly checkpointEvery?: number;
  readonly algorithm?: 'auto' | SigningAlgorithm;
  readonly tokenTtlDays?: number;
};

/** Migrates the store, loads (or makes) the keys and records the served policy version. */
export async function createLedgerContext(options: LedgerContextOptions): Promise<LedgerContext> {
  const { store } = options;
  await migrate(store);
  const keyring = await createKeyring({
    store,
    masterKey: options.masterKey,
    ...(options.algorithm ? { algorithm: options.algorithm } : {}),
  });
  const ledger = createLedger({
    store,
    keyring,
    ...(options.checkpointEvery ? { checkpointEvery: options.checkpointEvery } : {}),
  });
  const policies = await createPolicyRegistry({ store, current: options.policy });
  const ingestor = createIngestor({ ledger, keyring, policies });
  const subjects = createSubjectService({
    store,
    policy: options.policy,
    keyring,
    ledger,
    ...(options.tokenTtlDays ? { tokenTtlDays: options.tokenTtlDays } : {}),
  });
  const partners = await createPartnerRegistry({ masterKey: options.masterKey });
  return { store, keyring, ledger, policies, ingestor, subjects, partners };
}
