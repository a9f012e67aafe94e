/**
 * CONSENTKIT_PARTNER_WEBHOOKS_INTERVAL: how often the server looks for opt-outs to tell partners
 * about and sends what is due — `off`, or a duration such as `500ms`, `10s`, `1m`.
 */
export type WebhookInterval = number | 'off';

export const DEFAULT_PARTNER_WEBHOOKS_INTERVAL = '10s';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000 } as const;

/** Milliseconds, `off`, or what is wrong with the text. */
export function parseWebhookInterval(text: string): WebhookInterval | { readonly error: string } {
  const value = text.trim().toLowerCase();
  if (value === 'off') return 'off';
  const match = /^(\d{1,7})(ms|s|m)$/.exec(value);
  const amount = Number(match?.[1]);
  const unit = match?.[2] as keyof typeof UNIT_MS | undefined;
  if (!match || !unit) return { error: 'must be off or a duration such as 500ms, 10s or 1m' };
  const ms = amount * UNIT_MS[unit];
  if (ms < 100 || ms > 3_600_000) return { error: 'must be between 100ms and 60m (or off)' };
  return ms;
}
