/**
 * Builds, signs and persists records one at a time. Each record's `prev` is the digest of the one
 * before under the same key (DESIGN "The record"), so signing is serial, across tabs too.
 */
import {
  type CollectionPoint,
  type ConsentRecord,
  createRecord,
  type Decision,
  type Interaction,
  isConsentError,
  type Policy,
  policyDigest,
  type RecordContext,
  type RecordMethod,
  type RecordSubject,
  type Signer,
  signRecord,
} from '@consentkit/core';
import type { IdentifierOpening } from '../backend.js';
import type { Outbox } from '../outbox/outbox.js';
import type { OutboxEntry, OutboxStore } from '../outbox/outbox-store.js';
import { HISTORY_KEY, mergeHistory } from './history.js';
import { isKeptList, KEPT_KEY, type KeptChoice } from './kept-choices.js';

export type RecordInput = {
  policy: Policy;
  signer: Signer;
  decisions: Decision[];
  method: RecordMethod;
  subject: RecordSubject;
  opening?: IdentifierOpening;
  collectionPoint?: CollectionPoint;
  interaction?: Interaction;
  context?: RecordContext;
  /** The language of the words shown (default: the client's locale). */
  locale?: string;
  /** Extra outbox meta written in the same durable step as the record. */
  meta?: Record<string, unknown>;
  /** A kept choice's id and capture time (default: new ones now). */
  id?: string;
  now?: Date;
};

export type RecorderOptions = {
  store: OutboxStore;
  outbox: Outbox;
  gpcSignal: boolean | null;
  jurisdiction: string | undefined;
  locale: () => string;
};

export type Recorder = {
  /** Resolves with the queued entry once the record is durable (nothing is sent yet). */
  record(input: RecordInput): Promise<OutboxEntry>;
  /** Keeps a choice that cannot be signed yet, durably, beside the others kept. */
  keep(choice: KeptChoice): Promise<void>;
  /**
   * Signs kept choice `input.id` and removes it in the same durable step; `undefined` when it is
   * no longer kept (another tab or an earlier page signed it). One the policy refuses is dropped.
   */
  recordKept(input: RecordInput & { id: string }): Promise<OutboxEntry | undefined>;
  /** The records this client knows, oldest first. */
  history: readonly ConsentRecord[];
  /** Resolves when every record started so far is signed (or failed). */
  idle(): Promise<unknown>;
  /**
   * The digest every record under `policy` carries, hashed once per policy object (the client's
   * policy never changes under it); the client asks for it when the policy loads, so a submit
   * does not canonicalise and hash the whole policy again.
   */
  policyDigest(policy: Policy): Promise<string>;
};

export function pageCollectionPoint(): CollectionPoint {
  if (typeof location === 'undefined' || !/^https?:$/.test(location.protocol)) return {};
  return { url: `${location.origin}${location.pathname}` };
}

export function createRecorder(options: RecorderOptions): Recorder {
  const { store, outbox, gpcSignal, jurisdiction } = options;
  /** Signing order across reloads: time-based, strictly increasing within this client. */
  let lastOrder = 0;
  let signing: Promise<unknown> = Promise.resolve();
  const digests = new WeakMap<Policy, Promise<string>>();

  const recorder: Recorder = {
    history: [],
    record(input) {
      return exclusive(() => sign(input));
    },
    keep(choice) {
      return exclusive(async () => {
        const kept = await store.getMeta({ key: KEPT_KEY });
        await store.put({ entries: [], meta: { [KEPT_KEY]: [...(isKeptList(kept) ? kept : []), choice] } });
      });
    },
    recordKept(input) {
      return exclusive(async () => {
        const kept = await store.getMeta({ key: KEPT_KEY });
        const list = isKeptList(kept) ? kept : [];
        if (!list.some((c) => c.id === input.id)) return undefined;
        const rest = { [KEPT_KEY]: list.filter((c) => c.id !== input.id) };
        try {
          return await sign({ ...input, meta: { ...input.meta, ...rest } });
        } catch (error) {
          // Refused by core's rules or the policy: it can never be signed, so it is not kept.
          if (isConsentError(error) && (error.code === 'rule-violation' || error.code === 'unknown-purpose')) {
            await store.put({ entries: [], meta: rest });
          }
          throw error;
        }
      });
    },
    idle() {
      return signing;
    },
    policyDigest(policy) {
      let digest = digests.get(policy);
      if (!digest) {
        digest = policyDigest(policy);
        digests.set(policy, digest);
        // A failed hash (no WebCrypto here) is tried again by the next record, which reports it.
        digest.catch(() => digests.delete(policy));
      }
      return digest;
    },
  };

  async function sign(input: RecordInput): Promise<OutboxEntry> {
    const { policy, signer } = input;
    const chainKey = `chain:${signer.kid}`;
    const prev = await store.getMeta({ key: chainKey });
    const created = await createRecord({
      subject: input.subject,
      policy,
      policyDigest: await recorder.policyDigest(policy),
      decisions: input.decisions,
      method: input.method,
      collectionPoint: { ...pageCollectionPoint(), ...input.collectionPoint },
      locale: input.locale ?? options.locale(),
      gpc: gpcSignal,
      prev: typeof prev === 'string' ? prev : null,
      ...(input.interaction === undefined ? {} : { interaction: input.interaction }),
      ...(jurisdiction === undefined ? {} : { jurisdiction }),
      ...(input.context === undefined ? {} : { context: input.context }),
      ...(input.id === undefined ? {} : { id: input.id }),
      ...(input.now === undefined ? {} : { now: input.now }),
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
    const nextHistory = mergeHistory(recorder.history, [created]);
    // Durable before any send (R64), and the chain head moves in the same step as its record.
    await outbox.enqueue({
      entries: [entry],
      meta: { [chainKey]: signed.digest, [HISTORY_KEY]: nextHistory, ...input.meta },
    });
    recorder.history = nextHistory;
    return entry;
  }

  /** One at a time in this page; tabs share the device key and its chain head, so the Web Locks API serialises them too. */
  function exclusive<T>(task: () => Promise<T>): Promise<T> {
    const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
    const locked = () => (locks ? locks.request('consentkit-sign', task) : task());
    const run = signing.then(locked, locked);
    signing = run.catch(() => undefined);
    return run;
  }
  return recorder;
}
