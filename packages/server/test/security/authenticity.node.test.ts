// Writing consent in someone else's name (docs/security.md): the attacks found from outside, each
// against the real app on both stores. Every one of these passed for the attacker before assurance.
import { base64urlDecode, createCommitment, createRecord, isPermitted, signRecord } from '@consentkit/core';
import { TEST_API_KEY } from '@consentkit/test-support/keys';
import { createPerson as makePerson } from '@consentkit/test-support/people';
import { describeKitOnStores, type LedgerPerson } from '@consentkit/test-support/server';
import { expect } from 'chai';

const SHARE = { purpose: 'partner-sharing', granted: true, basis: 'express', interaction: 'pointer' } as const;
const RESUBSCRIBE = { purpose: 'marketing', granted: true, basis: 'opt-out', interaction: 'pointer' } as const;

type Results = { results: Array<{ status: string; code?: string; id: string | null }> };

describeKitOnStores('authenticity: nobody writes consent in someone else’s name', {}, (k) => {
  async function unsubscribe(person: LedgerPerson): Promise<string> {
    const token = await person.token('unsubscribe:marketing');
    const res = await k.kit.request(`/u/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).to.equal(200);
    expect((await person.state()).marketing?.status).to.equal('denied');
    return token;
  }

  it('a forwarded unsubscribe link reveals no subject id, and a ref record from a keyless caller is refused', async () => {
    const person = k.person;
    const token = await unsubscribe(person);
    // The link's bytes do not hold the ledger's id for the person (it was in plain bytes before).
    const hex = Array.from(base64urlDecode(token), (b) => b.toString(16).padStart(2, '0')).join('');
    expect(hex).to.not.include(person.ref.replaceAll('-', ''));
    // Even knowing the ref (an old link), a third party's fresh device key cannot write by it.
    const attacker = await makePerson({ policy: k.kit.policy, email: null });
    const { results } = (await (await k.kit.post([{ jws: await resign(attacker, person.ref) }])).json()) as Results;
    expect(results[0]).to.include({ status: 'rejected', code: 'ref-needs-key' });
    const state = await person.state();
    expect(state.marketing?.status).to.equal('denied');
    expect(isPermitted(state, 'partner-sharing')).to.equal(false);
  });

  it('by email, a third party neither undoes an unsubscribe nor grants express consent: pending, "may we?" no', async () => {
    const person = k.person;
    await unsubscribe(person);
    const attacker = await makePerson({ policy: k.kit.policy, email: person.email });
    const signed = await attacker.sign({ decisions: [SHARE, RESUBSCRIBE] });
    const { results } = (await (await k.kit.post([{ jws: signed.jws, opening: signed.opening }])).json()) as Results;
    expect(results[0]?.status).to.equal('accepted');
    const state = await person.state();
    expect(state.marketing).to.include({ status: 'pending', recordId: signed.record.id });
    expect(state['partner-sharing']).to.include({ status: 'pending', recordId: signed.record.id });
    expect(isPermitted(state, 'marketing')).to.equal(false);
    expect(isPermitted(state, 'partner-sharing')).to.equal(false);
    // The admin API says the same.
    expect((await person.apiState()).marketing?.status).to.equal('pending');
  });

  it('a keyless "api" record without interaction is not a backend speaking', async () => {
    const person = k.person;
    const commitment = await createCommitment({ identifier: person.email });
    const attacker = await makePerson({ policy: k.kit.policy, email: null });
    const record = await createRecord({
      subject: { kind: 'commitment', commitment: commitment.commitment },
      policy: k.kit.policy,
      decisions: [{ purpose: 'partner-sharing', granted: true, basis: 'express' }],
      method: 'api',
      collectionPoint: { flow: 'staff' },
      locale: 'en',
      prev: null,
    });
    const { jws } = await signRecord({ record, signer: attacker.signer });
    const { results } = (await (await k.kit.post([{ jws, opening: commitment.opening }])).json()) as Results;
    expect(results[0]?.status).to.equal('accepted');
    expect(isPermitted(await person.state(), 'partner-sharing')).to.equal(false);
  });

  it('a grant typed into a form for an address stays pending until the site’s backend attests it', async () => {
    const person = k.person;
    const typed = await makePerson({ policy: k.kit.policy, email: person.email });
    const signed = await typed.sign({ decisions: [SHARE] });
    await k.kit.post([{ jws: signed.jws, opening: signed.opening }]);
    expect((await person.state())['partner-sharing']).to.include({ status: 'pending', recordId: signed.record.id });

    // Without a key, or with a key of another scope, nobody attests.
    const attest = (headers: Record<string, string>) =>
      k.kit.request('/v1/attestations', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ recordId: signed.record.id, identifierVerified: true }),
      });
    expect((await attest({})).status).to.equal(401);
    const made = await attest({ authorization: `Bearer ${TEST_API_KEY}` });
    expect(made.status).to.equal(201);
    const body = (await made.json()) as { attests: string; recordId: string; seq: number };
    expect(body.attests).to.equal(signed.record.id);
    const state = await person.state();
    expect(state['partner-sharing']).to.include({ status: 'granted', recordId: signed.record.id });
    // A new entry, at site level, naming the record; the old entry is unchanged and the ledger verifies.
    const rows = await k.kit.store.query<{ assurance: string; entry_version: number }>(
      'SELECT assurance, entry_version FROM ledger_entries WHERE record_id = $1 OR record_id = $2 ORDER BY seq',
      [signed.record.id, body.recordId],
    );
    expect(rows.map((r) => r.assurance)).to.deep.equal(['device', 'site']);
    expect((await k.kit.verify()).ok).to.equal(true);
    const unknown = await k.kit.request('/v1/attestations', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_API_KEY}` },
      body: JSON.stringify({ recordId: '01900000-0000-7000-8000-000000000000' }),
    });
    expect(unknown.status).to.equal(404);
  });

  it('a record that claims to confirm or attest is refused at ingest (only the ledger writes those)', async () => {
    const typed = await makePerson({ policy: k.kit.policy, email: k.person.email });
    const signed = await typed.sign({ decisions: [SHARE], attests: k.person.recordId });
    const { results } = (await (await k.kit.post([{ jws: signed.jws, opening: signed.opening }])).json()) as Results;
    expect(results[0]).to.include({ status: 'rejected', code: 'invalid-record' });
  });

  /** The attacker's record naming the person by ref, signed with the attacker's own fresh key. */
  async function resign(attacker: Awaited<ReturnType<typeof makePerson>>, ref: string): Promise<string> {
    const record = await createRecord({
      subject: { kind: 'ref', ref },
      policy: k.kit.policy,
      decisions: [SHARE, RESUBSCRIBE],
      method: 'checkbox',
      interaction: 'pointer',
      collectionPoint: { url: 'https://attacker.example/' },
      locale: 'en',
      prev: null,
    });
    return (await signRecord({ record, signer: attacker.signer })).jws;
  }
});
