/**
 * The one duration parser. Two spellings, one result:
 * - ISO 8601 durations as policies write retention periods (`P2Y`, `P6M`, `P1Y6M`, `PT12H`), the
 *   grammar core's policy schema accepts;
 * - the short forms operators type in configuration (`500ms`, `10s`, `30m`, `24h`, `1d`, `2w`).
 * Calendar parts (years, months, days) are added on the UTC calendar, the day clamped to the
 * month's end (31 January + `P1M` is the last day of February), as java.time and Temporal do.
 */
import { ConsentError } from './errors.js';

export type Duration = {
  readonly text: string;
  readonly years: number;
  readonly months: number;
  /** Whole days (weeks folded in). */
  readonly days: number;
  /** Hours, minutes, seconds and milliseconds. */
  readonly milliseconds: number;
};

const ISO_DURATION =
  /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const SHORT_DURATION = /^(\d{1,12})(ms|s|min|m|h|d|w)$/;
const SHORT_MS = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 } as const;

const HINT =
  'Write an ISO 8601 duration such as "P2Y" or "PT12H", or a short one such as "500ms", "30s", "10m", "24h" or "7d".';

function invalid(text: string, why: string, hint = HINT): ConsentError {
  return new ConsentError('invalid-duration', `"${text}" ${why}`, { hint });
}

/** Parses either spelling; throws `ConsentError('invalid-duration')` naming the text and the forms accepted. */
export function parseDuration(text: string): Duration {
  const value = text.trim();
  const iso = ISO_DURATION.exec(value);
  if (iso) {
    const n = (i: number) => Number(iso[i] ?? 0);
    return {
      text: value,
      years: n(1),
      months: n(2),
      days: n(3) * 7 + n(4),
      milliseconds: Math.round(((n(5) * 60 + n(6)) * 60 + n(7)) * 1000),
    };
  }
  const short = SHORT_DURATION.exec(value.toLowerCase());
  if (short) {
    const amount = Number(short[1]);
    const unit = short[2] as keyof typeof SHORT_MS | 'd' | 'w';
    if (unit === 'd' || unit === 'w') {
      return { text: value, years: 0, months: 0, days: amount * (unit === 'w' ? 7 : 1), milliseconds: 0 };
    }
    return { text: value, years: 0, months: 0, days: 0, milliseconds: amount * SHORT_MS[unit] };
  }
  throw invalid(value, 'is not a duration');
}

/** `instant` plus `duration`, calendar parts first (as ISO 8601 reads left to right). */
export function addDuration(instant: Date | number, duration: Duration | string): Date {
  const d = typeof duration === 'string' ? parseDuration(duration) : duration;
  const out = new Date(instant);
  // Add years and months to day 1, then clamp the day: 31 January + P1M is 28/29 February, not 3 March.
  const day = out.getUTCDate();
  out.setUTCDate(1);
  out.setUTCMonth(out.getUTCMonth() + d.years * 12 + d.months);
  const lastDay = new Date(Date.UTC(out.getUTCFullYear(), out.getUTCMonth() + 1, 0)).getUTCDate();
  out.setUTCDate(Math.min(day, lastDay));
  out.setUTCDate(out.getUTCDate() + d.days);
  return new Date(out.getTime() + d.milliseconds);
}

export type IntervalOptions = {
  /** Shortest accepted interval in ms (default 1). */
  readonly min?: number;
  /** Longest accepted interval in ms (default setTimeout's ceiling, about 24.8 days). */
  readonly max?: number;
  /** Accept `off` (returned as `'off'`). */
  readonly allowOff?: boolean;
  /** How to fix a wrong value, in the caller's words (the setting's name and examples). */
  readonly hint?: string;
};

/** setTimeout's ceiling: a longer timer fires at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * A fixed-length interval in milliseconds (configuration: job intervals, rate-limit windows):
 * any spelling `parseDuration` reads, without years or months, whose length varies.
 */
export function parseInterval(text: string, options: IntervalOptions & { allowOff: true }): number | 'off';
export function parseInterval(text: string, options?: IntervalOptions): number;
export function parseInterval(text: string, options: IntervalOptions = {}): number | 'off' {
  const value = text.trim();
  const hint = options.hint ?? HINT;
  if (options.allowOff && value.toLowerCase() === 'off') return 'off';
  let d: Duration;
  try {
    d = parseDuration(value);
  } catch {
    throw invalid(value, options.allowOff ? 'is neither a duration nor off' : 'is not a duration', hint);
  }
  if (d.years !== 0 || d.months !== 0) throw invalid(value, 'has years or months, whose length varies', hint);
  const ms = d.days * 86_400_000 + d.milliseconds;
  const min = options.min ?? 1;
  const max = options.max ?? MAX_TIMER_MS;
  if (!Number.isSafeInteger(ms) || ms < min || ms > max) {
    throw invalid(value, `is out of range (${formatMs(min)} to ${formatMs(max)})`, hint);
  }
  return ms;
}

/** A readable length: `500ms`, `10s`, `5m`, `24h`, `3d`. */
export function formatMs(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
