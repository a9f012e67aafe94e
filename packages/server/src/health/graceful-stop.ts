import type { ServerType } from '@hono/node-server';
import type { Logger } from '../platform/observability/logger.js';
import type { Lifecycle } from './lifecycle.js';

/**
 * The shutdown sequence (SIGTERM, or a RunningServer's stop()):
 *   1. readiness goes false and new requests are refused with 503 + Retry-After; the listener
 *      stops accepting connections;
 *   2. in-flight requests (and with them the open group commit), a partner delivery pass and a
 *      purge in progress finish, up to the deadline;
 *   3. at the deadline, requests still running are answered 503 + Retry-After (a retried record
 *      or one-click is idempotent), and their handlers get a short grace to settle;
 *   4. the remaining connections close, then the store.
 */
export type GracefulStopOptions = {
  readonly server: ServerType;
  readonly lifecycle: Lifecycle;
  readonly deadlineMs: number;
  /** Background work to finish (partner runner, purge job): each stop() waits for a run in progress. */
  readonly background: readonly (() => Promise<void>)[];
  readonly closeStore: () => Promise<void>;
  readonly log: Logger;
};

// After the deadline: how long handlers already answered with 503 may still settle (a commit in
// flight) before the store closes under them, and how long responses get to flush.
const SETTLE_GRACE_MS = 2_000;
const FLUSH_GRACE_MS = 1_000;

const sleep = (ms: number) =>
  new Promise<'timeout'>((resolve) => {
    setTimeout(() => resolve('timeout'), ms).unref();
  });

function closeIdle(server: ServerType): void {
  if ('closeIdleConnections' in server) server.closeIdleConnections();
}

export async function gracefulStop(options: GracefulStopOptions): Promise<void> {
  const { server, lifecycle, log } = options;
  lifecycle.startDraining();
  log.info({ deadlineMs: options.deadlineMs, inFlight: lifecycle.inFlight }, 'draining: readiness is false');
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  closeIdle(server);

  const work = Promise.all([lifecycle.idle(), ...options.background.map((stop) => stop())]).then(() => 'done' as const);
  const outcome = await Promise.race([work, sleep(options.deadlineMs)]);
  if (outcome === 'timeout') {
    log.warn(
      { inFlight: lifecycle.inFlight },
      'shutdown deadline reached: requests still running get 503 + Retry-After',
    );
    lifecycle.cutOff();
    await Promise.race([work, sleep(SETTLE_GRACE_MS)]);
  }

  // Keep-alive connections whose last response is done are closed as they go idle.
  const ticker = setInterval(() => closeIdle(server), 50);
  const flushed = await Promise.race([closed.then(() => 'closed' as const), sleep(FLUSH_GRACE_MS)]);
  clearInterval(ticker);
  if (flushed === 'timeout' && 'closeAllConnections' in server) server.closeAllConnections();
  await closed;
  lifecycle.markStopped();
  await options.closeStore();
  log.info('stopped: the store is closed');
}
