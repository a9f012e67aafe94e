// Runs the example backend under the real client against a stand-in webhook (msw), including a
// 503 that the client must retry. It imports the SDK by name, as a project of its own would.
import { createConsentClient, createMemoryOutboxStore } from '@consentkit/sdk';
import { allstreamPolicy } from '@consentkit/test-support/policy';
import { expect } from 'chai';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { createWebhookBackend } from './webhook-backend.js';

describe('examples/custom-backend', () => {
  it('delivers through a hand-written backend, retrying a 503', async () => {
    const received = new Map<string, number>();
    let calls = 0;
    const server = setupServer(
      http.post('https://crm.example/consent', async ({ request }) => {
        if (++calls === 1) return new HttpResponse(null, { status: 503 });
        expect(request.headers.get('authorization')).to.equal('Bearer t0ken');
        for (const item of (await request.json()) as { id: string }[])
          received.set(item.id, (received.get(item.id) ?? 0) + 1);
        return new HttpResponse(null, { status: 204, headers: { 'x-receipt': 'crm-42' } });
      }),
    );
    server.listen({ onUnhandledFrame: 'error' });
    const client = createConsentClient({
      policy: allstreamPolicy,
      backend: createWebhookBackend({ url: 'https://crm.example/consent', token: 't0ken' }),
      outbox: createMemoryOutboxStore(),
      retry: { baseMs: 20 },
      gpc: false,
    });
    try {
      const first = await client.grant({ purposes: ['partner-sharing'], method: 'checkbox', interaction: 'pointer' });
      expect(first.status).to.equal('pending');
      await client.flush();
      expect(client.pending()).to.deep.equal([]);
      expect([...received.entries()]).to.deep.equal([[first.recordId, 1]]);
    } finally {
      await client.close();
      server.close();
    }
  });
});
