/** How the outbox retries a failed delivery (the delays themselves come from core's `backoffDelay`). */
export type RetryOptions = {
  /** First delay before jitter (ms). */
  baseMs?: number;
  /** Ceiling for one delay (ms). */
  maxMs?: number;
};

export const DEFAULT_RETRY: Required<RetryOptions> = { baseMs: 1_000, maxMs: 5 * 60_000 };
