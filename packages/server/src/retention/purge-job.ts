import { fallbackLogger } from '../platform/observability/logger.js';
import type { LedgerContext } from '../runtime/context.js';
import { type PurgeReport, purgeExpired } from './purge.js';
import { listDeletionReceipts } from './purge-receipt.js';

/**
 * The server's retention job: a purge every interval (CONSENTKIT_PURGE_INTERVAL, default 24h,
 * `off` disables it). A run starts only after the previous one finished (a timer set at the end
 * of each run, and one in-flight promise), so runs never overlap; a failure is logged and the next
 * run is still scheduled; stop() cancels the timer and waits for a run in progress.
 *
 * Several servers on one database each run the job; a run skips when any instance left a
 * receipt less than one interval ago, so the purge happens about once per interval overall.
 */
export type PurgeJob = {
  /** One run now (what the timer calls); resolves to undefined when skipped or failed. */
  runOnce(): Promise<PurgeReport | undefined>;
  stop(): Promise<void>;
};

export type PurgeJobOptions = {
  readonly context: LedgerContext;
  /** Milliseconds between runs; null disables the job. */
  readonly intervalMs: number | null;
  /** The first run, after start (a deploy restarting servers daily must not starve the purge). */
  readonly firstRunDelayMs?: number;
  readonly clock?: () => Date;
  readonly log?: (line: string) => void;
  /** Told how each run ended (the server's metrics). */
  readonly onResult?: (result: 'done' | 'skipped' | 'failed', destroyed: number) => void;
};

export function startPurgeJob(options: PurgeJobOptions): PurgeJob {
  const { context, intervalMs } = options;
  const clock = options.clock ?? (() => new Date());
  const log = options.log ?? ((line: string) => fallbackLogger().warn(line));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<PurgeReport | undefined> | undefined;
  let stopped = intervalMs === null;

  async function run(): Promise<PurgeReport | undefined> {
    const now = clock();
    try {
      const [last] = await listDeletionReceipts(context.store, { limit: 1 });
      if (last && intervalMs !== null && now.getTime() - Date.parse(last.purgedAt) < intervalMs) {
        options.onResult?.('skipped', 0);
        return undefined;
      }
      const report = await purgeExpired(context, { now, actor: 'retention-job' });
      log(
        `[consentkit] retention purge: ${report.counts.destroyed} of ${report.counts.examined} people past retention destroyed (receipt ${report.receipt?.id})`,
      );
      options.onResult?.('done', report.counts.destroyed);
      return report;
    } catch (error) {
      options.onResult?.('failed', 0);
      log(`[consentkit] retention purge failed: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  function schedule(delay: number) {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = undefined;
      void runOnce().finally(() => schedule(intervalMs ?? 0));
    }, delay);
    timer.unref(); // the job never keeps a stopping process alive
  }

  function runOnce(): Promise<PurgeReport | undefined> {
    running ??= run().finally(() => {
      running = undefined;
    });
    return running;
  }

  if (intervalMs !== null) schedule(Math.min(options.firstRunDelayMs ?? 60_000, intervalMs));
  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
