/**
 * CONSENTKIT_PURGE_INTERVAL: `24h`, `30m`, `1d`, `90s`, `500ms` → milliseconds; `off` → null.
 * Apart from the job so config.ts can validate it without loading the ledger.
 */
const UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export const PURGE_INTERVAL_HINT = 'use an interval such as 24h, 12h, 30m or 1d, or off to disable the job';

/** Throws a RangeError naming the value and the accepted forms. */
export function parsePurgeInterval(text: string): number | null {
  const value = text.trim().toLowerCase();
  if (value === 'off') return null;
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(value);
  if (!match) throw new RangeError(`"${text}" is not an interval: ${PURGE_INTERVAL_HINT}`);
  const ms = Number(match[1]) * UNITS[match[2] as keyof typeof UNITS];
  if (ms <= 0 || !Number.isSafeInteger(ms)) throw new RangeError(`"${text}" is out of range: ${PURGE_INTERVAL_HINT}`);
  // setTimeout's ceiling (about 24.8 days); longer would fire at once.
  if (ms > 2_147_483_647) throw new RangeError(`"${text}" is longer than 24 days: ${PURGE_INTERVAL_HINT}`);
  return ms;
}
