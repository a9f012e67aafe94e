import { verifyCommitment, verifyRecord } from '@consentkit/core';
import { expect } from 'chai';
import { createPerson } from './people.js';
import { allstreamPolicy } from './policy/index.js';

describe('createPerson', () => {
  it('signs records that verify, chained on the person’s previous one, with an opening for their email', async () => {
    const person = await createPerson({ policy: allstreamPolicy });
    expect(person.email).to.match(/^person-\d+@example\.test$/);
    const first = await person.sign();
    const second = await person.sign({ decisions: [{ purpose: 'marketing', granted: false, basis: 'opt-out' }] });
    expect(first.record.prev).to.equal(null);
    expect(second.record.prev).to.equal(first.digest);
    expect(person.head).to.equal(second.digest);
    for (const signed of [first, second]) {
      const { digest, header } = await verifyRecord(signed.jws);
      expect(digest).to.equal(signed.digest);
      expect(header.kid).to.equal((await verifyRecord(first.jws)).header.kid);
      expect(signed.record.subject.kind).to.equal('commitment');
      const commitment = (signed.record.subject as { commitment: string }).commitment;
      if (!signed.opening) throw new Error('no opening');
      expect(await verifyCommitment({ commitment, opening: signed.opening })).to.equal(true);
    }
    expect(first.record.decisions.map((d) => d.purpose)).to.deep.equal(allstreamPolicy.purposes.map((p) => p.id));
  });

  it('makes an anonymous device when the email is null', async () => {
    const device = await createPerson({ policy: allstreamPolicy, email: null });
    const signed = await device.sign();
    expect(signed.record.subject).to.deep.equal({ kind: 'device' });
    expect(signed.opening).to.equal(undefined);
  });
});
