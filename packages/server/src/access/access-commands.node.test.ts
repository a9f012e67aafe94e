import { cli, cliTargets, seedLedger } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { openStore } from '../platform/store/open-store.js';
import { loadConfig } from '../runtime/config.js';

// Access from the console: `keys api`, `erase`, `audit`, and `verify` covering the audit chain.

for (const target of cliTargets('ck-cli-access-')) {
  describe(`consentkit keys api / erase / audit (${target.name})`, () => {
    let flags: string[] = [];
    let drop: () => Promise<void>;
    before(async () => {
      ({ flags, drop } = await target.create());
      await seedLedger(flags, ['mo@example.com', 'nel@example.com']);
    });
    after(() => drop());

    it('keys api create shows the key once; list and revoke', async () => {
      const created = await cli([
        'keys',
        'api',
        'create',
        '--scope',
        'read',
        '--name',
        'crm export',
        '--json',
        ...flags,
      ]);
      expect(created.code, created.err).to.equal(0);
      const key = JSON.parse(created.out) as { id: string; key: string; scope: string };
      expect(key.key).to.match(/^ck_/);
      expect(key.scope).to.equal('read');
      const listed = await cli(['keys', 'api', 'list', ...flags]);
      expect(listed.out).to.include(key.id).and.include('crm export').and.not.include(key.key);
      expect((await cli(['keys', 'api', 'revoke', key.id, ...flags])).code).to.equal(0);
      const again = await cli(['keys', 'api', 'revoke', key.id, ...flags]);
      expect(again.code).to.equal(1);
      expect(again.err).to.include('no active API key');
      expect((await cli(['keys', 'api', 'list', ...flags])).out).to.match(/revoked/);
      const bad = await cli(['keys', 'api', 'create', '--scope', 'root', '--name', 'x', ...flags]);
      expect(bad.code, 'a usage mistake').to.equal(2);
      expect(bad.err).to.include('--scope is required: ingest, read, attest, admin or suppressions');
    });

    it('erase --email: the person is gone, the ledger and the audit chain verify', async () => {
      expect((await cli(['state', '--email', 'mo@example.com', ...flags])).code).to.equal(0);
      const refused = await cli(['erase', '--email', 'MO@example.com', ...flags]);
      expect(refused.code, 'no terminal and no --yes').to.equal(2);
      expect(refused.err).to.include('pass --yes');
      const dry = await cli(['erase', '--email', 'MO@example.com', '--dry-run', ...flags]);
      expect(dry.code, dry.err).to.equal(0);
      expect(dry.out).to.match(/^dry run, nothing changed\. Would erase subject [0-9a-f-]{36}: 1 openings/);
      expect((await cli(['state', '--email', 'mo@example.com', ...flags])).out).to.include('marketing');
      const erased = await cli(['erase', '--email', 'MO@example.com', '--yes', ...flags]);
      expect(erased.code, erased.err).to.equal(0);
      expect(erased.out).to.match(/erased subject [0-9a-f-]{36}: 1 openings/);
      expect(erased.out).to.not.include('mo@example.com');
      const again = await cli(['erase', '--email', 'mo@example.com', '--yes', ...flags]);
      expect(again.code, 'nothing to erase is not a failure').to.equal(0);
      expect(again.out).to.include('nothing to erase');
      const state = await cli(['state', '--email', 'mo@example.com', ...flags]);
      expect(state.code, 'no records is an answer, not a failure').to.equal(0);
      expect(state.out).to.include('no records');
      expect((await cli(['state', '--email', 'nel@example.com', ...flags])).code).to.equal(0);
      const verified = await cli(['verify', ...flags]);
      expect(verified.code, verified.err).to.equal(0);
      expect(verified.out).to.include('ok: 2 entries').and.include('audit ok:');
    });

    it('audit lists who did what, never the address', async () => {
      const listed = await cli(['audit', ...flags]);
      expect(listed.code).to.equal(0);
      for (const action of ['api-key.create', 'api-key.revoke', 'subject.state', 'subject.erase']) {
        expect(listed.out).to.include(action);
      }
      expect(listed.out).to.match(/ cli(:\S+)? /);
      expect(listed.out.toLowerCase()).to.not.include('@example.com');
      const json = await cli(['audit', '--json', '--after', '1', '--limit', '2', ...flags]);
      expect(json.out.split('\n').map((l) => (JSON.parse(l) as { seq: number }).seq)).to.deep.equal([2, 3]);
    });

    it('verify exits 1 naming the audit entry when the audit chain was edited', async () => {
      const store = await openStore(loadConfig({ argv: flags, env: {} }));
      await store.query("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2");
      await store.close();
      const bad = await cli(['verify', ...flags]);
      expect(bad.code).to.equal(1);
      expect(bad.out).to.include('ok: 2 entries'); // the ledger itself is fine
      expect(bad.err).to.match(/AUDIT FAULT at audit entry 2: entry-hash/);
    });
  });
}
