/**
 * `createConsentClient()`: turns a person's choice into a signed record and gets it to the
 * ledger through a backend, durably. The host page sees promises that resolve (a receipt or a
 * pending handle) and events; background failures are emitted, never thrown.
 */
import {
  type CollectionPoint,
  ConsentError,
  type ConsentRecord,
  type ConsentState,
  createCommitment,
  createKeySigner,
  createRecord,
  type Decision,
  effectivePurpose,
  evaluateConsent,
  findPurpose,
  generateSigningKeyPair,
  type Interaction,
  isConsentError,
  type LegalBasis,
  localize,
  normalizeIdentifier,
  type Policy,
  type PurposeBasis,
  type RecordContext,
  type RecordMethod,
  type RecordSubject,
  type Signer,
  sha256Hex,
  signRecord,
} from '@consentkit/core';
import type { ConsentBackend, IdentifierOpening } from './backend.js';
import { type ConsentModeBridge, type ConsentModeOptions, createConsentModeBridge } from './consent-mode.js';
import { createEmitter } from './emitter.js';
import type { ConsentEvent, ConsentListener } from './events.js';
import { gpcPurposeIds, readGpcSignal } from './gpc.js';
import { hasIndexedDb } from './internal/idb.js';
import type { RetryOptions } from './outbox/backoff.js';
import { createFallbackOutboxStore } from './outbox/fallback-store.js';
import { createIndexedDbOutboxStore } from './outbox/indexeddb-store.js';
import { createMemoryOutboxStore } from './outbox/memory-store.js';
import { createOutbox, type DeliveryOutcome } from './outbox/outbox.js';
import type { OutboxEntry, OutboxStore } from './outbox/outbox-store.js';
import { createDeviceSigner } from './signers/device-signer.js';

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
  /** An identifier the person typed: it leaves as a salted commitment, the opening beside it. */
  identifier?: IdentifierInput;
  interaction?: Interaction;
  context?: RecordContext;
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

/** Records kept locally so `state()` survives a reload; older ones are in the ledger. */
const HISTORY_LIMIT = 500;
const HISTORY_KEY = 'history';

const isBrowser = () => typeof window !== 'undefined' && typeof document !== 'undefined';

function subjectKey(subject: RecordSubject): string {
  if (subject.kind === 'commitment') return `commitment:${subject.commitment}`;
  if (subject.kind === 'ref') return `ref:${subject.ref}`;
  return 'device';
}

function pageCollectionPoint(): CollectionPoint {
  if (typeof location === 'undefined' || !/^https?:$/.test(location.protocol)) return {};
  return { url: `${location.origin}${location.pathname}` };
}

async function defaultSigner(onFallback: (error: unknown) => void): Promise<Signer> {
  if (hasIndexedDb()) {
    try {
      return await createDeviceSigner();
    } catch (error) {
      // No persistent key (storage blocked): sign with a key for this page rather than not at all.
      onFallback(error);
    }
  }
  const pair = await generateSigningKeyPair({ extractable: false });
  return createKeySigner({ privateKey: pair.privateKey, publicJwk: pair.publicJwk });
}

async function loadPolicy(options: ConsentClientOptions): Promise<Policy> {
  if (options.policy) return options.policy;
  const signal = new AbortController().signal;
  if (options.policyUrl) {
    const response = await fetch(options.policyUrl, { headers: { accept: 'application/json' }, signal });
    if (!response.ok) {
      throw new ConsentError('invalid-policy', `GET ${options.policyUrl} answered ${response.status}`);
    }
    const body = (await response.json()) as { policy?: Policy } & Partial<Policy>;
    return (body.policy ?? body) as Policy;
  }
  if (options.backend.fetchPolicy) return options.backend.fetchPolicy({ signal });
  throw new ConsentError(
    'invalid-options',
    'createConsentClient needs `policy`, `policyUrl` or a backend with fetchPolicy',
  );
}

function isRecordList(value: unknown): value is ConsentRecord[] {
  return Array.isArray(value);
}

/**
 * Creates a client. Nothing here throws for network or storage trouble: loading happens in the
 * background and problems arrive as `error` events (and reject `capture` if it cannot record).
 *
 * @example
 * const client = createConsentClient({ policy, backend: createHttpBackend({ url: 'https://consent.example.com' }) });
 * const result = await client.capture({
 *   decisions: [{ purpose: 'marketing-email', granted: true, wording: 'Email me offers' }],
 *   method: 'checkbox',
 *   interaction: 'pointer',
 *   identifier: 'ada@example.com',
 * });
 */
export function createConsentClient(options: ConsentClientOptions): ConsentClient {
  if (!options || typeof options.backend?.send !== 'function') {
    throw new ConsentError('invalid-options', 'createConsentClient needs a `backend` with a send() method', {
      hint: 'Did you forget createHttpBackend({ url })?',
    });
  }
  const emitter = createEmitter<ConsentEvent>();
  const emit = (event: ConsentEvent) => {
    if (!closed) emitter.emit(event);
  };
  const gpcSignal: boolean | null = options.gpc === undefined || options.gpc === 'auto' ? readGpcSignal() : options.gpc;
  const baseSubject: RecordSubject = options.subject ?? { kind: 'device' };
  const store =
    options.outbox ??
    (hasIndexedDb()
      ? createFallbackOutboxStore({
          primary: createIndexedDbOutboxStore(),
          onFallback: (error) => emitError(error),
        })
      : createMemoryOutboxStore());
  const outbox = createOutbox({
    store,
    backend: options.backend,
    emit,
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.sendTimeoutMs === undefined ? {} : { sendTimeoutMs: options.sendTimeoutMs }),
  });

  // Consent Mode's `default` must precede every tag command (R52), so it is issued right here.
  let consentMode: ConsentModeBridge | undefined;
  if (options.consentMode) {
    consentMode = createConsentModeBridge(options.consentMode === true ? {} : options.consentMode);
  }

  let closed = false;
  let policy: Policy | undefined;
  let signer: Signer | undefined;
  let history: ConsentRecord[] = [];
  let gpcHonored = false;
  /** Signing order across reloads: time-based, strictly increasing within this client. */
  let lastOrder = 0;
  /** Signing is serial: each record's `prev` is the digest of the one before (DESIGN "The record"). */
  let signing: Promise<unknown> = Promise.resolve();

  const emitError = (error: unknown, recordId?: string) => {
    const code = isConsentError(error) ? error.code : 'internal';
    const reason = error instanceof Error ? error.message : String(error);
    emit(recordId === undefined ? { type: 'error', code, reason } : { type: 'error', code, reason, recordId });
  };

  const computeState = (): ConsentState => {
    if (!policy) return {};
    const context = {
      ...(options.jurisdiction === undefined ? {} : { jurisdiction: options.jurisdiction }),
      ...(gpcSignal === true ? { gpc: true } : {}),
    };
    return evaluateConsent({ policy, history, context });
  };

  const publishState = () => {
    if (!policy) return;
    const state = computeState();
    consentMode?.update({ policy, state, gpc: gpcSignal });
    emit({ type: 'state', state });
  };

  const remember = (records: readonly ConsentRecord[]): ConsentRecord[] => {
    const known = new Map(history.map((r) => [r.id, r]));
    for (const record of records) known.set(record.id, record);
    // issuedAt then id: UUIDv7 ids sort by time, so ties still come out oldest first.
    return [...known.values()]
      .sort((a, b) => (a.issuedAt < b.issuedAt ? -1 : a.issuedAt > b.issuedAt ? 1 : a.id < b.id ? -1 : 1))
      .slice(-HISTORY_LIMIT);
  };

  const locale = () =>
    options.locale ??
    (typeof navigator !== 'undefined' && navigator.language ? navigator.language : undefined) ??
    policy?.defaultLocale ??
    'en';

  type Prepared = { subject: RecordSubject; opening?: IdentifierOpening; gpcKey: string };

  /** Builds, signs and persists one record; resolves with its queued entry. */
  const record = (input: {
    decisions: Decision[];
    method: RecordMethod;
    subject: RecordSubject;
    opening?: IdentifierOpening;
    collectionPoint?: CollectionPoint;
    interaction?: Interaction;
    context?: RecordContext;
    meta?: Record<string, unknown>;
  }): Promise<OutboxEntry> => {
    const task = async () => {
      if (!policy || !signer) throw new ConsentError('internal', 'the client is not ready');
      const chainKey = `chain:${signer.kid}`;
      const prev = await store.getMeta({ key: chainKey });
      const jurisdiction = options.jurisdiction;
      const created = await createRecord({
        subject: input.subject,
        policy,
        decisions: input.decisions,
        method: input.method,
        collectionPoint: { ...pageCollectionPoint(), ...input.collectionPoint },
        locale: locale(),
        gpc: gpcSignal,
        prev: typeof prev === 'string' ? prev : null,
        ...(input.interaction === undefined ? {} : { interaction: input.interaction }),
        ...(jurisdiction === undefined ? {} : { jurisdiction }),
        ...(input.context === undefined ? {} : { context: input.context }),
      });
      const signed = await signRecord({ record: created, signer });
      lastOrder = Math.max(lastOrder + 1, Date.now() * 1000);
      const entry: OutboxEntry = {
        id: created.id,
        jws: signed.jws,
        record: created,
        order: lastOrder,
        queuedAt: Date.now(),
        attempts: 0,
        notBefore: 0,
        ...(input.opening === undefined ? {} : { opening: input.opening }),
      };
      const nextHistory = remember([created]);
      // Durable before any send (R64), and the chain head moves in the same step as its record.
      await outbox.enqueue({
        entries: [entry],
        meta: { [chainKey]: signed.digest, [HISTORY_KEY]: nextHistory, ...input.meta },
      });
      history = nextHistory;
      return entry;
    };
    // Tabs share the device key and its chain head: the Web Locks API serialises them too.
    const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
    const locked = () => (locks ? locks.request('consentkit-sign', task) : task());
    const run = signing.then(locked, locked);
    signing = run.catch(() => undefined);
    return run;
  };

  const prepareSubject = async (identifier: IdentifierInput | undefined): Promise<Prepared> => {
    if (identifier === undefined) return { subject: baseSubject, gpcKey: subjectKey(baseSubject) };
    const value = typeof identifier === 'string' ? identifier : identifier.value;
    const kind = typeof identifier === 'string' ? 'email' : (identifier.kind ?? 'email');
    const { commitment, opening } = await createCommitment({ identifier: value, kind });
    // The GPC marker must not depend on the salt, or every capture would look like a new person.
    const gpcKey = `identifier:${await sha256Hex(`consentkit-gpc:${normalizeIdentifier(value, kind)}`)}`;
    return { subject: { kind: 'commitment', commitment }, opening, gpcKey };
  };

  /** GPC: one opt-out record per device and subject for the policy's sale/sharing/ads purposes (R48–R50). */
  const ensureGpcRecord = async (prepared: Prepared): Promise<OutboxEntry | undefined> => {
    if (gpcSignal !== true || !policy || !signer) return undefined;
    const purposes = gpcPurposeIds(policy);
    if (purposes.length === 0) return undefined;
    const markerKey = `gpc:${signer.kid}:${prepared.gpcKey}`;
    if ((await store.getMeta({ key: markerKey })) !== undefined) {
      if (prepared.gpcKey === subjectKey(baseSubject)) gpcHonored = true;
      return undefined;
    }
    const decisions = purposes.map((id): Decision => {
      const purpose = findPurpose(policy as Policy, id);
      const basis = purpose ? effectivePurpose(purpose, options.jurisdiction ?? policy?.jurisdiction).basis : 'opt-out';
      return { purpose: id, granted: false, basis };
    });
    const entry = await record({
      decisions,
      method: 'gpc',
      interaction: 'none',
      subject: prepared.subject,
      ...(prepared.opening === undefined ? {} : { opening: prepared.opening }),
      meta: { [markerKey]: new Date().toISOString() },
    });
    if (prepared.gpcKey === subjectKey(baseSubject)) gpcHonored = true;
    return entry;
  };

  const toResult = (recordId: string, outcome: DeliveryOutcome | undefined): CaptureResult => {
    if (outcome?.status === 'delivered') return { status: 'delivered', recordId, receipt: outcome.receipt };
    if (outcome?.status === 'rejected')
      return { status: 'rejected', recordId, code: outcome.code, reason: outcome.reason };
    return { status: 'pending', recordId };
  };

  const fetchBackendHistory = async () => {
    const fetchState = options.backend.fetchState;
    if (!fetchState || !signer) return;
    const { records } = await fetchState({
      subject: baseSubject,
      kid: signer.kid,
      signal: new AbortController().signal,
    });
    history = remember(records);
    publishState();
  };

  const init = async () => {
    const [loadedPolicy, loadedSigner, stored] = await Promise.all([
      loadPolicy(options),
      Promise.resolve(options.signer ?? defaultSigner((error) => emitError(error))),
      store.getMeta({ key: HISTORY_KEY }),
    ]);
    policy = loadedPolicy;
    signer = loadedSigner;
    history = isRecordList(stored) ? stored : [];
    // What an earlier client (the page before a reload) left behind goes out first, in order.
    await outbox.resume();
    const gpcEntry = await ensureGpcRecord(await prepareSubject(undefined));
    publishState();
    if (gpcEntry) void outbox.deliver([gpcEntry.id]).catch(emitError);
    void fetchBackendHistory().catch((error: unknown) => emitError(error));
  };

  let ready: Promise<void> = init();
  ready.catch((error: unknown) => emitError(error));
  /** A failed start (policy unreachable) is retried by the next call instead of failing forever. */
  const whenReady = async () => {
    try {
      await ready;
    } catch {
      ready = init();
      await ready;
    }
  };

  const capture = async (captureOptions: CaptureOptions): Promise<CaptureResult> => {
    if (closed) throw new ConsentError('invalid-options', 'capture() after close()');
    await whenReady();
    const currentPolicy = policy as Policy;
    const lang = locale();
    const decisions = await Promise.all(
      captureOptions.decisions.map(async (given): Promise<Decision> => {
        const purpose = findPurpose(currentPolicy, given.purpose);
        const effective = purpose
          ? effectivePurpose(purpose, options.jurisdiction ?? currentPolicy.jurisdiction)
          : undefined;
        const basis = given.basis ?? effective?.basis ?? 'express';
        let wording: Decision['wording'];
        const text = given.wording ?? captureOptions.wording;
        if (typeof text === 'string') wording = { sha256: await sha256Hex(text), text };
        else if (text !== undefined) wording = text;
        else if (purpose?.label) {
          // The label lives in this policy version, so its hash alone proves what was shown (DESIGN).
          wording = { sha256: await sha256Hex(localize(purpose.label, lang, currentPolicy.defaultLocale)) };
        }
        const decision: Decision = { purpose: given.purpose, granted: given.granted, basis };
        if (given.legalBasis !== undefined) decision.legalBasis = given.legalBasis;
        if (wording !== undefined) decision.wording = wording;
        if (given.preChecked !== undefined) decision.preChecked = given.preChecked;
        if (given.interaction !== undefined) decision.interaction = given.interaction;
        return decision;
      }),
    );
    const prepared = await prepareSubject(captureOptions.identifier);
    const ids: string[] = [];
    // A newly known person with GPC on gets their opt-out first ("if known … for the consumer", R48).
    if (prepared.subject !== baseSubject) {
      const gpcEntry = await ensureGpcRecord(prepared);
      if (gpcEntry) ids.push(gpcEntry.id);
    }
    const entry = await record({
      decisions,
      method: captureOptions.method,
      subject: prepared.subject,
      ...(prepared.opening === undefined ? {} : { opening: prepared.opening }),
      ...(captureOptions.collectionPoint === undefined ? {} : { collectionPoint: captureOptions.collectionPoint }),
      ...(captureOptions.interaction === undefined ? {} : { interaction: captureOptions.interaction }),
      ...(captureOptions.context === undefined ? {} : { context: captureOptions.context }),
    });
    ids.push(entry.id);
    publishState();
    try {
      const outcomes = await outbox.deliver(ids);
      return toResult(entry.id, outcomes.get(entry.id));
    } catch (error) {
      // The record is durable; delivery trouble is the outbox's to retry, not the caller's.
      emitError(error, entry.id);
      return { status: 'pending', recordId: entry.id };
    }
  };

  // Basis comes from the policy in all three: core's rules tell an opt-out from a withdrawal by it.
  const choice =
    (granted: boolean) =>
    (choiceOptions: ChoiceOptions): Promise<CaptureResult> => {
      const { purposes, method, ...rest } = choiceOptions;
      return capture({
        ...rest,
        method: method ?? 'api',
        decisions: purposes.map((purpose) => ({ purpose, granted })),
      });
    };

  // Page lifecycle: beacon on hide (never `unload`, R64), retry when the network comes back.
  const onHidden = () => {
    if (document.visibilityState === 'hidden') outbox.beacon();
  };
  const onPageHide = () => outbox.beacon();
  const onOnline = () => void outbox.flush().catch(emitError);
  const lifecycle = (options.pageLifecycle ?? true) && isBrowser();
  if (lifecycle) {
    window.addEventListener('pagehide', onPageHide);
    window.addEventListener('online', onOnline);
    document.addEventListener('visibilitychange', onHidden);
  }

  return {
    get ready() {
      return ready;
    },
    capture,
    grant: choice(true),
    optOut: choice(false),
    withdraw: choice(false),
    async state(stateOptions = {}) {
      await whenReady();
      if (stateOptions.refresh) await fetchBackendHistory();
      return computeState();
    },
    async policy() {
      await whenReady();
      return policy as Policy;
    },
    subscribe(listener) {
      return emitter.subscribe(listener);
    },
    async flush() {
      await whenReady();
      await outbox.flush();
    },
    pending() {
      return outbox.pending().map((e) => e.id);
    },
    get gpcSignal() {
      return gpcSignal;
    },
    get gpcHonored() {
      return gpcHonored;
    },
    async close() {
      if (closed) return;
      if (lifecycle) {
        window.removeEventListener('pagehide', onPageHide);
        window.removeEventListener('online', onOnline);
        document.removeEventListener('visibilitychange', onHidden);
      }
      await ready.catch(() => undefined);
      await signing;
      closed = true;
      await outbox.close();
      await store.close?.();
      emitter.clear();
    },
  };
}
