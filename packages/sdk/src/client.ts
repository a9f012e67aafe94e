/**
 * `createConsentClient()`: turns a person's choice into a signed record and gets it to the
 * ledger through a backend, durably. The host page sees promises that resolve (a receipt or a
 * pending handle) and events; background failures are emitted, never thrown. The pieces live in
 * ./client/ (one concept each); this module wires them together.
 */
import {
  backoffDelay,
  ConsentError,
  type ConsentState,
  evaluateConsent,
  formatErrorMessage,
  isConsentError,
  type Policy,
  type RecordSubject,
  type Signer,
  uuidv7,
} from '@consentkit/core';
import type {
  CaptureOptions,
  CaptureResult,
  ChoiceOptions,
  ConsentClient,
  ConsentClientOptions,
} from './client/client-types.js';
import { defaultOutboxStore } from './client/default-outbox-store.js';
import { defaultSigner } from './client/default-signer.js';
import { recordGpcOptOut } from './client/gpc-opt-out.js';
import { HISTORY_KEY, isRecordList, mergeHistory } from './client/history.js';
import { isKeptList, KEPT_KEY, type KeptChoice, underPolicyBasis } from './client/kept-choices.js';
import { loadPolicy } from './client/load-policy.js';
import { watchPageLifecycle } from './client/page-lifecycle.js';
import { createRecorder, pageCollectionPoint } from './client/recorder.js';
import { resolveDecisions } from './client/resolve-decisions.js';
import { type PreparedSubject, prepareSubject, subjectKey } from './client/subject.js';
import { type ConsentModeBridge, createConsentModeBridge } from './consent-mode.js';
import { createEmitter } from './emitter.js';
import type { ConsentEvent } from './events.js';
import { readGpcSignal } from './gpc.js';
import { whenIdle, yieldToBrowser } from './internal/yield-to-browser.js';
import { createOutbox, type DeliveryOutcome } from './outbox/outbox.js';
import type { OutboxEntry } from './outbox/outbox-store.js';
import { DEFAULT_RETRY } from './outbox/retry-options.js';

/** The longest a durable record waits for an idle moment before it is sent. */
const DELIVERY_IDLE_MS = 500;

const isBrowser = () => typeof window !== 'undefined' && typeof document !== 'undefined';

function toResult(recordId: string, outcome: DeliveryOutcome | undefined): CaptureResult {
  if (outcome?.status === 'delivered') return { status: 'delivered', recordId, receipt: outcome.receipt };
  if (outcome?.status === 'rejected')
    return { status: 'rejected', recordId, code: outcome.code, reason: outcome.reason };
  return { status: 'pending', recordId };
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
  const unheard = new Set<string>();
  const emit = (event: ConsentEvent) => {
    if (closed || emitter.emit(event)) return;
    // Failures are never silent: with nobody subscribed, the console hears each code once.
    if ((event.type === 'error' || event.type === 'pending') && !unheard.has(event.code)) {
      unheard.add(event.code);
      console.warn(formatErrorMessage(event.code, event.reason));
    }
  };
  const jurisdiction = options.jurisdiction;
  const gpcSignal: boolean | null = options.gpc === undefined || options.gpc === 'auto' ? readGpcSignal() : options.gpc;
  const baseSubject: RecordSubject = options.subject ?? { kind: 'device' };
  const store = options.outbox ?? defaultOutboxStore((error) => emitError(error));
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
  let gpcHonored = false;

  const emitError = (error: unknown, recordId?: string) => {
    const code = isConsentError(error) ? error.code : 'internal';
    const reason = isConsentError(error) ? error.reason : error instanceof Error ? error.message : String(error);
    emit(recordId === undefined ? { type: 'error', code, reason } : { type: 'error', code, reason, recordId });
  };

  const locale = () =>
    options.locale ??
    (typeof navigator !== 'undefined' && navigator.language ? navigator.language : undefined) ??
    policy?.defaultLocale ??
    'en';

  const recorder = createRecorder({ store, outbox, gpcSignal, jurisdiction, locale });

  const computeState = (): ConsentState => {
    if (!policy) return {};
    const context = {
      ...(jurisdiction === undefined ? {} : { jurisdiction }),
      ...(gpcSignal === true ? { gpc: true } : {}),
    };
    return evaluateConsent({ policy, history: recorder.history, context });
  };

  const publishState = () => {
    if (!policy) return;
    const state = computeState();
    consentMode?.update({ policy, state, gpc: gpcSignal });
    emit({ type: 'state', state });
  };

  const ensureGpcRecord = async (prepared: PreparedSubject): Promise<OutboxEntry | undefined> => {
    if (gpcSignal !== true || !policy || !signer) return undefined;
    const { honored, entry } = await recordGpcOptOut({ prepared, policy, signer, store, recorder, jurisdiction });
    if (honored && prepared.gpcKey === subjectKey(baseSubject)) gpcHonored = true;
    return entry;
  };

  const fetchBackendHistory = async () => {
    const fetchState = options.backend.fetchState;
    if (!fetchState || !signer) return;
    const { records } = await fetchState({
      subject: baseSubject,
      kid: signer.kid,
      signal: new AbortController().signal,
    });
    recorder.history = mergeHistory(recorder.history, records);
    publishState();
  };

  /** Signs and sends the choices kept while the policy was unreachable (this page's or an earlier one's). */
  const recordKeptChoices = async () => {
    const kept = await store.getMeta({ key: KEPT_KEY });
    if (!isKeptList(kept) || !policy || !signer) return;
    for (const choice of kept) {
      try {
        const decisions = await resolveDecisions({
          policy,
          decisions: underPolicyBasis(choice.decisions, policy, jurisdiction),
          wording: choice.wording,
          jurisdiction,
          locale: choice.locale,
        });
        const ids: string[] = [];
        if (subjectKey(choice.subject) !== subjectKey(baseSubject)) {
          const gpcEntry = await ensureGpcRecord(choice);
          if (gpcEntry) ids.push(gpcEntry.id);
        }
        const entry = await recorder.recordKept({
          ...choice,
          now: new Date(choice.capturedAt),
          policy,
          signer,
          decisions,
        });
        if (entry) ids.push(entry.id);
        if (ids.length > 0) void outbox.deliver(ids).catch(emitError);
      } catch (error) {
        emitError(error, choice.id);
      }
    }
  };

  const init = async () => {
    const [loadedPolicy, loadedSigner, stored] = await Promise.all([
      loadPolicy(options),
      Promise.resolve(options.signer ?? defaultSigner((error) => emitError(error))),
      store.getMeta({ key: HISTORY_KEY }),
    ]);
    policy = loadedPolicy;
    signer = loadedSigner;
    // Hashed now, while the page is idle, rather than at the first submit.
    recorder.policyDigest(policy).catch(() => {});
    recorder.history = isRecordList(stored) ? stored : [];
    // What an earlier client (the page before a reload) left behind goes out first, in order.
    await outbox.resume();
    await recordKeptChoices();
    const gpcEntry = await ensureGpcRecord(await prepareSubject(undefined, baseSubject));
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

  /** While a choice is kept, the start is retried in the background (with the outbox's backoff). */
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let retries = 0;
  const retryStart = () => {
    if (retryTimer !== undefined || closed) return;
    retries += 1;
    const delay = backoffDelay({ ...DEFAULT_RETRY, ...options.retry, attempt: retries });
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      whenReady().catch(retryStart);
    }, delay);
  };

  /**
   * No policy (a first visit, the ledger unreachable, none embedded or remembered): the choice is
   * kept with its record id, which the caller gets now, and signed once the policy loads.
   */
  const keepChoice = async (captureOptions: CaptureOptions, cause: ConsentError): Promise<CaptureResult> => {
    const { identifier, onRecorded, ...given } = captureOptions;
    const capturedAt = Date.now();
    // The identifier is kept only inside the commitment's opening, as a queued record keeps it.
    const choice: KeptChoice = {
      ...given,
      ...(await prepareSubject(identifier, baseSubject)),
      id: uuidv7(capturedAt),
      capturedAt,
      decisions: [...given.decisions],
      locale: given.locale ?? locale(),
      collectionPoint: { ...pageCollectionPoint(), ...given.collectionPoint },
    };
    await recorder.keep(choice);
    onRecorded?.(choice.id);
    retryStart();
    emit({
      type: 'pending',
      recordId: choice.id,
      attempts: 1,
      retryAt: Date.now(),
      code: cause.code,
      reason: `${cause.reason} The choice is kept and recorded once the policy loads.`,
    });
    return { status: 'pending', recordId: choice.id };
  };

  const capture = async (captureOptions: CaptureOptions): Promise<CaptureResult> => {
    if (closed) throw new ConsentError('invalid-options', 'capture() after close()');
    // Out of the caller's task: a submit or click handler returns, and its paint comes, first.
    await yieldToBrowser();
    try {
      await whenReady();
    } catch (error) {
      if (!policy && isConsentError(error) && error.code === 'transport') return keepChoice(captureOptions, error);
      throw error;
    }
    if (!policy || !signer) throw new ConsentError('internal', 'the client is not ready');
    const shownIn = captureOptions.locale ?? locale();
    const decisions = await resolveDecisions({
      policy,
      decisions: captureOptions.decisions,
      wording: captureOptions.wording,
      jurisdiction,
      locale: shownIn,
    });
    const prepared = await prepareSubject(captureOptions.identifier, baseSubject);
    await yieldToBrowser();
    const ids: string[] = [];
    // A newly known person with GPC on gets their opt-out first ("if known … for the consumer", R48).
    if (prepared.subject !== baseSubject) {
      const gpcEntry = await ensureGpcRecord(prepared);
      if (gpcEntry) ids.push(gpcEntry.id);
    }
    const entry = await recorder.record({
      policy,
      signer,
      decisions,
      method: captureOptions.method,
      locale: shownIn,
      subject: prepared.subject,
      ...(prepared.opening === undefined ? {} : { opening: prepared.opening }),
      ...(captureOptions.collectionPoint === undefined ? {} : { collectionPoint: captureOptions.collectionPoint }),
      ...(captureOptions.interaction === undefined ? {} : { interaction: captureOptions.interaction }),
      ...(captureOptions.context === undefined ? {} : { context: captureOptions.context }),
    });
    ids.push(entry.id);
    // The record is durable: the caller hears it first (a held form is sent now). The new state
    // follows in a task of its own; the delivery when the browser is idle, so neither delays
    // that form's submission (a page that navigates away sends it on hide, R64).
    captureOptions.onRecorded?.(entry.id);
    await yieldToBrowser();
    publishState();
    await whenIdle(DELIVERY_IDLE_MS);
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

  const stopLifecycle =
    (options.pageLifecycle ?? true) && isBrowser() ? watchPageLifecycle(outbox, emitError) : undefined;

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
      stopLifecycle?.();
      if (retryTimer !== undefined) clearTimeout(retryTimer);
      await ready.catch(() => undefined);
      await recorder.idle();
      closed = true;
      await outbox.close();
      await store.close?.();
      emitter.clear();
    },
  };
}
