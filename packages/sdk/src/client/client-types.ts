/** The public types of `createConsentClient()`: its options, what `capture()` takes and returns. */
import type {
  CollectionPoint,
  ConsentError,
  ConsentState,
  Interaction,
  LegalBasis,
  Policy,
  PurposeBasis,
  RecordContext,
  RecordMethod,
  RecordSubject,
  Signer,
} from '@consentkit/core';
import type { ConsentBackend } from '../backend.js';
import type { ConsentModeOptions } from '../consent-mode.js';
import type { ConsentListener } from '../events.js';
import type { OutboxStore } from '../outbox/outbox-store.js';
import type { RetryOptions } from '../outbox/retry-options.js';

export type ConsentClientOptions = {
  /** The policy the person sees. Give this, or `policyUrl`, or a backend with `fetchPolicy`. */
  policy?: Policy;
  /** Where to GET the policy JSON (a bare policy or `{ policy }`). */
  policyUrl?: string;
  backend: ConsentBackend;
  /**
   * Signs records. Default: in browsers the device key (non-extractable, IndexedDB); elsewhere a
   * key generated for this process (its chain starts afresh each run: give a real key on servers).
   */
  signer?: Signer | Promise<Signer>;
  /** Where records wait for delivery. Default: IndexedDB in browsers, memory elsewhere. */
  outbox?: OutboxStore;
  /** Who records are about when `capture` gets no identifier. Default `{ kind: 'device' }`. */
  subject?: RecordSubject;
  /** BCP 47; default the browser's language, else the policy's default locale. */
  locale?: string;
  /** ISO 3166 code where the person is (`DE`, `US-CA`); decides GDPR strictness. */
  jurisdiction?: string;
  /**
   * The GPC signal. `'auto'` (default) reads `navigator.globalPrivacyControl` once per page; on a
   * server pass `parseSecGpc(request.headers.get('sec-gpc'))`; `false` ignores it.
   */
  gpc?: 'auto' | boolean | null;
  /** Opt-in Google Consent Mode v2 bridge: `true` uses `window.gtag` (or a dataLayer shim). */
  consentMode?: boolean | ConsentModeOptions;
  retry?: RetryOptions;
  /** One delivery attempt's deadline (ms), default 15 000. */
  sendTimeoutMs?: number;
  /** Flush by beacon on `pagehide` / hidden (R64). Default true where there is a `window`. */
  pageLifecycle?: boolean;
};

/** One choice, as the person made it. `basis` and `legalBasis` default from the policy. */
export type CaptureDecision = {
  purpose: string;
  granted: boolean;
  basis?: PurposeBasis;
  legalBasis?: LegalBasis;
  preChecked?: boolean;
  /** The exact words shown beside this control (hashed into the record), or their hash. */
  wording?: string | { sha256: string; text?: string };
  interaction?: Interaction;
};

export type IdentifierInput = string | { value: string; kind?: 'email' };

export type CaptureOptions = {
  decisions: readonly CaptureDecision[];
  method: RecordMethod;
  /** Merged over the page's URL (origin + path: never the query, which may carry personal data). */
  collectionPoint?: CollectionPoint;
  /** Words shown for every decision that has none of its own. Default: the purpose's policy label (hash only). */
  wording?: string;
  /**
   * The language (BCP 47) of the words the person was shown: it becomes the record's `locale` and
   * picks the policy label that is hashed. Default: the client's `locale`. A page in French on an
   * English browser records `fr`, not the browser's language.
   */
  locale?: string;
  /** An identifier the person typed: it leaves as a salted commitment, the opening beside it. */
  identifier?: IdentifierInput;
  interaction?: Interaction;
  context?: RecordContext;
  /**
   * Called once the record is signed and safe in the outbox, before delivery: a native form
   * submission can carry the id on without waiting for a slow network.
   */
  onRecorded?: (recordId: string) => void;
};

export type CaptureResult =
  | { status: 'delivered'; recordId: string; receipt: string }
  | { status: 'pending'; recordId: string }
  | { status: 'rejected'; recordId: string; code: ConsentError['code']; reason: string };

/** Options for the grant / opt-out / withdraw helpers. */
export type ChoiceOptions = Omit<CaptureOptions, 'decisions' | 'method'> & {
  purposes: readonly string[];
  method?: RecordMethod;
};

export type StateOptions = {
  /** Ask the backend for history recorded elsewhere first (when it has `fetchState`). */
  refresh?: boolean;
};

export type ConsentClient = {
  /** Resolves once the policy, signer and outbox are loaded (and leftover records re-sent). */
  readonly ready: Promise<void>;
  /** `capture()` records one choice; it resolves with a receipt, or pending when the ledger is unreachable. */
  capture(options: CaptureOptions): Promise<CaptureResult>;
  /** Records express grants (or, for opt-out purposes, "not opted out"). */
  grant(options: ChoiceOptions): Promise<CaptureResult>;
  /** Records an opt-out of opt-out purposes. */
  optOut(options: ChoiceOptions): Promise<CaptureResult>;
  /** Withdraws earlier consent (R19: as easy as giving it). */
  withdraw(options: ChoiceOptions): Promise<CaptureResult>;
  /** Per-purpose state from core's rules, over the records this client knows. */
  state(options?: StateOptions): Promise<ConsentState>;
  /** The policy records are made under (loaded from `policyUrl` or the backend when not given). */
  policy(): Promise<Policy>;
  /** Returns the unsubscribe function. */
  subscribe(listener: ConsentListener): () => void;
  /** Sends everything queued now, ignoring backoff. */
  flush(): Promise<void>;
  /** Records signed but not yet acknowledged, oldest first. */
  pending(): readonly string[];
  /** The GPC signal this client applies (`null`: not available). */
  readonly gpcSignal: boolean | null;
  /** True once a GPC opt-out is recorded for this device and subject: show "Opt-Out Request Honored" (R48). */
  readonly gpcHonored: boolean;
  close(): Promise<void>;
};
