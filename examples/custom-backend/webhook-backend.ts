// A custom ConsentBackend in ~20 lines: deliver signed records to your own endpoint (a CRM, a
// queue) instead of the ConsentKit ledger. Only `name` and `send` are required.
import type { ConsentBackend } from '@consentkit/sdk';

export function createWebhookBackend({ url, token }: { url: string; token: string }): ConsentBackend {
  return {
    name: 'webhook',
    async send({ records, signal }) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(records.map(({ id, jws, opening }) => ({ id, jws, opening }))),
        signal,
      });
      // Throwing keeps the whole batch queued: the client retries with backoff.
      if (response.status === 429 || response.status >= 500) throw new Error(`webhook answered ${response.status}`);
      const receipt = response.headers.get('x-receipt') ?? 'stored';
      return records.map((r) =>
        response.ok
          ? { id: r.id, status: 'accepted' as const, receipt }
          : {
              id: r.id,
              status: 'rejected' as const,
              code: 'invalid-record' as const,
              reason: `HTTP ${response.status}`,
              retryable: false,
            },
      );
    },
  };
}
