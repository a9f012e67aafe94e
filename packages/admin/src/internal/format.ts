/** English-only number, percentage and time formatting for the dashboard (one place to localise later). */
const integer = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 });
const dateTime = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' });

const plural = new Intl.PluralRules('en');

export const formatInteger = (n: number): string => integer.format(n);
/** "1 record", "4 records": the count with its noun in the form Intl.PluralRules picks. */
export const formatCount = (n: number, forms: { readonly one: string; readonly other: string }): string =>
  `${integer.format(n)} ${plural.select(n) === 'one' ? forms.one : forms.other}`;
export const formatPercent = (ratio: number): string => percent.format(ratio);
export const formatTime = (iso: string): string => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${dateTime.format(date)} UTC`;
};

/** YYYY-MM-DD (UTC) `by` days from `day`. */
export function shiftDay(day: string, by: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + by);
  return date.toISOString().slice(0, 10);
}

export const todayUtc = (): string => new Date().toISOString().slice(0, 10);
