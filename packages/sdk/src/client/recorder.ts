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
  type Policy,
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
  /** The records this client knows, oldest first. */
  history: readonly ConsentRecord[];
  /** Resolves when every record started so far is signed (or failed). */
  idle(): Promise<unknown>;
};

function pageCollectionPoint(): CollectionPoint {
  if (typeof location === 'undefined' || !/^https?:$/.test(location.protocol)) return {};
  return { url: `${location.origin}${location.pathname}` };
}

export function createRecorder(options: RecorderOptions): Recorder {
  const { store, outbox, gpcSignal, jurisdiction } = options;
  /** Signing order across reloads: time-based, strictly increasing within this client. */
  let lastOrder = 0;
  let signing: Promise<unknown> = Promise.resolve();

  const recorder: Recorder = {
    history: [],
    record(input) {
      const task = async () => {
        const { policy, signer } = input;
        const chainKey = `chain:${signer.kid}`;
        const prev = await store.getMeta({ key: chainKey });
        const created = await createRecord({
          subject: input.subject,
          policy,
          decisions: input.decisions,
          method: input.method,
          collectionPoint: { ...pageCollectionPoint(), ...input.collectionPoint },
          locale: input.locale ?? options.locale(),
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
        const nextHistory = mergeHistory(recorder.history, [created]);
        // Durable before any send (R64), and the chain head moves in the same step as its record.
        await outbox.enqueue({
          entries: [entry],
          meta: { [chainKey]: signed.digest, [HISTORY_KEY]: nextHistory, ...input.meta },
        });
        recorder.history = nextHistory;
        return entry;
      };
      // Tabs share the device key and its chain head: the Web Locks API serialises them too.
      const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
      const locked = () => (locks ? locks.request('consentkit-sign', task) : task());
      const run = signing.then(locked, locked);
      signing = run.catch(() => undefined);
      return run;
    },
    idle() {
      return signing;
    },
  };
  return recorder;
}
