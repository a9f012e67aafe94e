import type { Policy, SigningAlgorithm } from '@consentkit/core';
import { createIngestor, type Ingestor } from '../ingest/ingest.js';
import { createLedger, type Ledger } from '../ledger/ledger.js';
import { createSubjectHistories } from '../ledger/subject-histories.js';
import { createMerkleTree, type MerkleTree } from '../ledger/tree-builder.js';
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
  /** The transparency log's stored nodes, built after commits by whoever needs them (proofs, exports). */
  readonly tree: MerkleTree;
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
  /** The transparency log's origin, used when the head is first sealed (see `LedgerOptions`). */
  readonly origin?: string;
  readonly algorithm?: 'auto' | SigningAlgorithm;
  readonly tokenTtlDays?: number;
  /** Worker threads that check record signatures (ingest/verify-pool.ts; default one per core, 0 for none). */
  readonly verifyThreads?: number;
  /** The most leaves whose Merkle nodes are held in memory for proofs (node-cache.ts; default 2^24, 0 for none). */
  readonly proofCacheLeaves?: number;
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
    ...(options.origin ? { origin: options.origin } : {}),
  });
  // A head never sealed (no origin yet: a ledger made before the transparency log, or a new
  // database) is sealed as it stands, once; after that only appends sign heads.
  const head = await store.query<{ origin: string | null }>('SELECT origin FROM ledger_head WHERE id = 1');
  if (head[0] && head[0].origin === null) await ledger.seal();
  // The subject histories the state queries read are built up to the head: on the start after the
  // upgrade that made them (or an import), from every entry. A ledger that cannot be built from (a
  // head that does not match its entries refuses the lock; an entry that does not decode) still
  // opens, so that `consentkit verify` can say what is wrong: the first state query or append
  // tries again and fails with the reason.
  const histories = createSubjectHistories({ store, withLock: ledger.withLock });
  if (await histories.behind()) await histories.catchUp().catch(() => undefined);
  const policies = await createPolicyRegistry({ store, current: options.policy });
  const ingestor = createIngestor({
    ledger,
    keyring,
    policies,
    ...(options.verifyThreads === undefined ? {} : { verifyThreads: options.verifyThreads }),
  });
  const subjects = createSubjectService({
    store,
    policy: options.policy,
    keyring,
    ledger,
    ...(options.tokenTtlDays ? { tokenTtlDays: options.tokenTtlDays } : {}),
  });
  const partners = await createPartnerRegistry({ masterKey: options.masterKey });
  const tree = createMerkleTree({
    store,
    ...(options.proofCacheLeaves === undefined ? {} : { cache: { maxLeaves: options.proofCacheLeaves } }),
  });
  return { store, keyring, ledger, tree, policies, ingestor, subjects, partners };
}
