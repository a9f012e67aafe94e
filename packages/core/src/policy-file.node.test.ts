// Node only: reads examples/policies/allstream.json from disk, which browsers cannot do.

import { allstreamPolicy } from '@consentkit/test-support/policy';
import { expect } from 'chai';
import { parsePolicy } from './policy-schema.js';

type Fs = { readFileSync(path: URL, encoding: 'utf8'): string };

async function readExample(): Promise<string> {
  // A computed specifier keeps core's types free of @types/node (core has no node: imports).
  const specifier = 'node:fs';
  const fs = (await import(specifier)) as Fs;
  return fs.readFileSync(new URL('../../../examples/policies/allstream.json', import.meta.url), 'utf8');
}

describe('examples/policies/allstream.json', () => {
  it('validates with parsePolicy', async () => {
    const policy = parsePolicy(JSON.parse(await readExample()));
    expect(policy.id).to.equal('allstream');
    expect(policy.jurisdiction).to.equal('CA');
  });

  it('is identical to the typed fixture the browser tests use', async () => {
    expect(JSON.parse(await readExample())).to.deep.equal(allstreamPolicy);
  });

  it('encodes the AllStream facts: implied primary, opt-out secondaries, express sharing, GPC, EU overrides', async () => {
    const policy = parsePolicy(JSON.parse(await readExample()));
    const byId = Object.fromEntries(policy.purposes.map((p) => [p.id, p]));
    expect(byId['application-processing']).to.deep.include({ basis: 'implied', primary: true });
    for (const id of ['marketing', 'loyalty-programme', 'relationship-management']) {
      expect(byId[id]?.basis, id).to.equal('opt-out');
      expect(byId[id]?.jurisdictions?.GDPR, id).to.not.equal(undefined);
    }
    expect(byId['partner-sharing']).to.deep.include({ basis: 'express', gpc: 'sharing' });
    expect(byId['credit-check']).to.deep.include({ basis: 'express', sensitive: true });
    expect(policy.recipients.every((r) => r.audited)).to.equal(true);
    expect(policy.locales).to.deep.equal(['en', 'fr']);
    expect(policy.promises).to.deep.include({ neverRefuseService: true, consentBeforeNewPurpose: true });
  });
});
