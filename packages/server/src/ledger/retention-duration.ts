/**
 * ISO 8601 durations as the policy writes retention periods (`P2Y`, `P6M`, `P1Y6M`, `PT12H`):
 * the same grammar core's policy schema accepts. Calendar parts (years, months, days) are added on
 * the UTC calendar, the day clamped to the month's end (31 January + `P1M` is the last day of
 * February), as java.time and Temporal do.
 */
const ISO_DURATION =
  /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export type RetentionDuration = {
  readonly text: string;
  readonly years: number;
  readonly months: number;
  readonly days: number;
  readonly milliseconds: number;
};

export class RetentionError extends Error {
  override readonly name = 'RetentionError';
  readonly code: 'invalid-duration' | 'invalid-time';
  constructor(code: RetentionError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

export function parseDuration(text: string): RetentionDuration {
  const m = ISO_DURATION.exec(text);
  if (!m) throw new RetentionError('invalid-duration', `"${text}" is not an ISO 8601 duration such as "P2Y" or "P6M"`);
  const n = (i: number) => Number(m[i] ?? 0);
  return {
    text,
    years: n(1),
    months: n(2),
    days: n(3) * 7 + n(4),
    milliseconds: ((n(5) * 60 + n(6)) * 60 + n(7)) * 1000,
  };
}

/** `instant` plus `duration`, calendar parts first (as ISO 8601 reads left to right). */
export function addDuration(instant: Date | number, duration: RetentionDuration | string): Date {
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
