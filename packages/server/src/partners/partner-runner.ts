import type { Policy } from '@consentkit/core';
import { ConsentError } from '@consentkit/core';
import type { Ledger } from '../ledger/ledger.js';
import { fallbackLogger } from '../platform/observability/logger.js';
import type { Store } from '../platform/store/store.js';
import { type DispatchResult, dispatchPartnerEvents } from './partner-dispatcher.js';
import type { PartnerRegistry } from './partner-registry.js';
import { deliverDuePartnerEvents, type PartnerWorkerOptions, type WorkerResult } from './partner-worker.js';

/**
 * Runs the dispatcher then the worker on an interval inside the server. Ticks never overlap (the
 * next one is scheduled only when the last has finished), a failing tick is logged and the next
 * one still runs, and `stop()` waits for a tick in progress so the store is not closed under it.
 */
export type PartnerRunnerOptions = {
  readonly store: Store;
  readonly ledger: Ledger;
  readonly registry: PartnerRegistry;
  readonly policy: Policy;
  /** Milliseconds between the end of one tick and the start of the next. */
  readonly intervalMs: number;
  readonly worker?: Omit<PartnerWorkerOptions, 'store' | 'registry' | 'policy'>;
  readonly log?: (line: string) => void;
};

export type PartnerTickResult = { readonly dispatch: DispatchResult; readonly delivery: WorkerResult };

export type PartnerRunner = {
  /** One dispatcher + worker pass, now (shares the no-overlap guard with the timer). */
  tick(): Promise<PartnerTickResult | undefined>;
  stop(): Promise<void>;
};

export function startPartnerRunner(options: PartnerRunnerOptions): PartnerRunner {
  if (!Number.isFinite(options.intervalMs) || options.intervalMs < 1) {
    throw new ConsentError('invalid-options', 'intervalMs must be a positive number of milliseconds');
  }
  const log = options.log ?? ((line: string) => fallbackLogger().warn(line));
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<PartnerTickResult | undefined> | undefined;

  async function pass(): Promise<PartnerTickResult | undefined> {
    try {
      const dispatch = await dispatchPartnerEvents({
        store: options.store,
        ledger: options.ledger,
        registry: options.registry,
        policy: options.policy,
      });
      const delivery = await deliverDuePartnerEvents({
        ...options.worker,
        store: options.store,
        registry: options.registry,
        policy: options.policy,
      });
      return { dispatch, delivery };
    } catch (error) {
      // A background job never throws into the server: say what failed and try again next tick.
      log(`[consentkit] partner webhooks: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  function tick(): Promise<PartnerTickResult | undefined> {
    running ??= pass().finally(() => {
      running = undefined;
    });
    return running;
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => {
      void tick().finally(schedule);
    }, options.intervalMs);
    // The timer alone must not keep a process alive (tests, CLI).
    timer.unref();
  }
  schedule();

  return {
    tick,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
