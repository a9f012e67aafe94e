import { createServer } from 'node:net';
import { cli, cliTargets, postChain, partnerSharing as share } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { loadConfig } from '../runtime/config.js';
import { openServer } from '../runtime/server.js';
import { dispatchPartnerEvents } from './partner-dispatcher.js';
import { deliverDuePartnerEvents } from './partner-worker.js';

// `consentkit partners` on both stores: registry, failed deliveries listed, retry audited.

/** A loopback port nothing listens on: the partner is down. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

for (const target of cliTargets('ck-cli-partners-')) {
  describe(`consentkit partners (${target.name})`, () => {
    let flags: string[] = [];
    let drop: () => Promise<void>;
    before(async () => {
      ({ flags, drop } = await target.create());
    });
    after(() => drop());

    it('add refuses what the policy does not allow, and shows the secret once', async () => {
      const unknown = await cli(['partners', 'add', 'nobody', '--endpoint', 'https://p.example/hook', ...flags]);
      expect(unknown.code).to.equal(1);
      expect(unknown.err).to.include('"nobody" is not a recipient in policy allstream');
      const plain = await cli(['partners', 'add', 'authorized-partners', '--endpoint', 'http://p.example/h', ...flags]);
      expect(plain.code).to.equal(1);
      expect(plain.err).to.include('must be an https:// URL');

      const port = await closedPort();
      const added = await cli([
        'partners',
        'add',
        'authorized-partners',
        '--endpoint',
        `http://127.0.0.1:${port}/hook`,
        ...flags,
      ]);
      expect(added.code, added.err).to.equal(0);
      const secret = /secret:\s+(whsec_\S+)/.exec(added.out)?.[1] ?? '';
      expect(secret).to.have.length.above(40);
      const listed = await cli(['partners', 'list', ...flags]);
      expect(listed.out).to.include('authorized-partners').and.include('active').and.not.include(secret);
      const twice = await cli(['partners', 'add', 'authorized-partners', '--endpoint', 'https://p.example', ...flags]);
      expect(twice.code).to.equal(1);
      expect(twice.err).to.include('already registered');
    });

    it('deliveries lists the failed delivery to a partner that is down; retry re-queues it and is audited', async () => {
      const opened = await openServer(loadConfig({ argv: flags, env: {} }));
      try {
        const statuses = await postChain(
          opened,
          [
            { email: 'pat@example.com', decisions: share(true) },
            { email: 'pat@example.com', decisions: share(false) },
          ],
          { site: true },
        );
        expect(statuses).to.deep.equal([200, 200]);
        const { context } = opened;
        const parts = { store: context.store, registry: context.partners, policy: context.policies.current };
        expect((await dispatchPartnerEvents({ ...parts, ledger: context.ledger })).created).to.equal(1);
        const worked = await deliverDuePartnerEvents({ ...parts, maxAttempts: 1, timeoutMs: 2000 });
        expect(worked).to.deep.equal({ attempted: 1, delivered: 0, failed: 1 });
      } finally {
        await opened.close();
      }

      const human = await cli(['partners', 'deliveries', ...flags]);
      expect(human.code, human.err).to.equal(0);
      expect(human.out).to.match(/failed\s+authorized-partners {2}consent\.withdrawn {2}partner-sharing {2}attempts 1/);
      expect(human.out).not.to.include('pat@example.com');
      const json = await cli(['partners', 'deliveries', '--status', 'failed', '--json', ...flags]);
      const { deliveries } = JSON.parse(json.out) as { deliveries: { id: string; status: string }[] };
      expect(deliveries).to.have.length(1);
      const id = deliveries[0]?.id ?? '';
      expect((await cli(['partners', 'deliveries', '--status', 'pending', ...flags])).out).to.include(
        'no pending deliveries',
      );
      const attempts = await cli(['partners', 'attempts', id, ...flags]);
      expect(attempts.out).to.match(/#1 .* - /);

      const retried = await cli(['partners', 'retry', id, ...flags]);
      expect(retried.code, retried.err).to.equal(0);
      expect(retried.out).to.include(`re-queued ${id}`);
      const pending = await cli(['partners', 'deliveries', '--status', 'pending', '--json', ...flags]);
      expect((JSON.parse(pending.out) as { deliveries: unknown[] }).deliveries).to.have.length(1);
      const again = await cli(['partners', 'retry', id, ...flags]);
      expect(again.code).to.equal(1);
      expect(again.err).to.include('is pending; only failed deliveries can be retried');
      const bad = await cli(['partners', 'deliveries', '--status', 'lost', ...flags]);
      expect(bad.code, 'a usage mistake').to.equal(2);
      expect(bad.err).to.include('--status is pending, failed or delivered');

      const audit = await cli(['audit', ...flags]);
      expect(audit.out).to.include('partner.add').and.include('partner.delivery-retry').and.include(id);
    });

    it('rotate-secret shows a new secret once; remove disables the partner', async () => {
      const rotated = await cli(['partners', 'rotate-secret', 'authorized-partners', '--grace', '60', ...flags]);
      expect(rotated.code, rotated.err).to.equal(0);
      expect(rotated.out)
        .to.match(/secret:\s+whsec_/)
        .and.include('carry both signatures until');
      expect((await cli(['partners', 'list', ...flags])).out).to.include('previous secret valid until');
      const removed = await cli(['partners', 'remove', 'authorized-partners', ...flags]);
      expect(removed.code, removed.err).to.equal(0);
      expect((await cli(['partners', 'remove', 'authorized-partners', ...flags])).code).to.equal(1);
      expect((await cli(['partners', 'list', ...flags])).out).to.include('removed');
      const audit = await cli(['audit', ...flags]);
      expect(audit.out).to.include('partner.rotate-secret').and.include('partner.remove');
    });
  });
}
