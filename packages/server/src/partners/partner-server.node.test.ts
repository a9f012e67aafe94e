import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestSigner } from '@consentkit/test-support/keys';
import { cliTargets, issueApiKey, partnerSharing as share, signedRecord } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { loadConfig } from '../runtime/config.js';
import { openServer, startServer } from '../runtime/server.js';
import { SIGNATURE_HEADER, verifyWebhookSignature } from './webhook-signature.js';

// The running server (runtime/server.ts's listen) queues and sends partner webhooks on its interval, over real HTTP
// both ways, and stops doing so when it stops; `off` disables it.

for (const target of cliTargets('ck-partner-server-')) {
  describe(`the server sends partner webhooks (${target.name})`, () => {
    it('an opt-out posted over HTTP reaches the partner, signed, within a few intervals', async () => {
      const created = await target.create();
      const received: { body: string; ok: boolean }[] = [];
      let secret = '';
      let ingestKey = '';
      const partner = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const header = req.headers[SIGNATURE_HEADER.toLowerCase()];
          const ok = verifyWebhookSignature({ header: typeof header === 'string' ? header : null, body, secret }).ok;
          received.push({ body, ok });
          res.writeHead(ok ? 204 : 401).end();
        });
      });
      await new Promise<void>((resolve) => partner.listen(0, '127.0.0.1', resolve));
      const endpoint = `http://127.0.0.1:${(partner.address() as AddressInfo).port}/hook`;
      const { flags } = created;
      try {
        const setup = await openServer(loadConfig({ argv: flags, env: {} }));
        try {
          secret = (
            await setup.context.partners.add(setup.context.store, {
              id: 'authorized-partners',
              endpoint,
              policy: setup.context.policies.current,
            })
          ).secret;
          ingestKey = await issueApiKey(setup.context.store, 'ingest', 'site backend');
        } finally {
          await setup.close();
        }

        const config = loadConfig({
          argv: [...flags, '--port', '0', '--partner-webhooks-interval', '100ms'],
          env: {},
        });
        const server = await startServer(config, { log: () => {} });
        try {
          const signer = await createTestSigner();
          let prev: string | null = null;
          for (const decisions of [share(true), share(false)]) {
            const policy = (await (await fetch(`${server.url}/v1/policy`)).json()) as { policy: never };
            const signed = await signedRecord({
              signer,
              policy: policy.policy,
              prev,
              email: 'max@example.com',
              decisions,
            });
            const response = await fetch(`${server.url}/v1/records`, {
              method: 'POST',
              // The site's backend posts them (site assurance): the grant counts, so its withdrawal is an event.
              headers: { 'content-type': 'application/json', authorization: `Bearer ${ingestKey}` },
              body: JSON.stringify({ records: [{ jws: signed.jws, opening: signed.opening }] }),
            });
            expect(response.status).to.equal(200);
            prev = signed.digest;
          }
          const deadline = Date.now() + 20_000;
          while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
          expect(received).to.have.length(1);
          expect(received[0]?.ok).to.equal(true);
          expect(JSON.parse(received[0]?.body ?? '{}')).to.include({ type: 'consent.withdrawn' });
        } finally {
          await server.stop();
        }
        // Stopped: nothing more is sent, and the delivery is recorded as delivered.
        const after = await openServer(loadConfig({ argv: flags, env: {} }));
        try {
          const rows = await after.context.store.query<{ status: string }>('SELECT status FROM partner_deliveries');
          expect(rows.map((r) => r.status)).to.deep.equal(['delivered']);
        } finally {
          await after.close();
        }
        expect(received).to.have.length(1);
      } finally {
        await new Promise<void>((resolve) => partner.close(() => resolve()));
        await created.drop();
      }
    });
  });
}
