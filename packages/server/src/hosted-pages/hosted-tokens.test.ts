import { createTokenCodec } from '@consentkit/core';
import { createLedgerKit, type LedgerKit, type LedgerPerson } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { hostedPolicy } from '../../test/support/hosted-policy.js';

const DAY = 24 * 60 * 60 * 1000;

describe('hosted page tokens: one uniform 404', () => {
  let kit: LedgerKit;
  let person: LedgerPerson;
  before(async () => {
    kit = await createLedgerKit({ policy: hostedPolicy() });
  });
  after(async () => {
    await kit.close();
  });
  beforeEach(async () => {
    person = await kit.person();
  });

  /** A codec over the ledger's own token keys, with a clock of our choosing. */
  const codecAt = (now: number) =>
    createTokenCodec({
      keys: kit.context.keyring.tokenKeys.keys,
      currentKid: kit.context.keyring.tokenKeys.currentKid,
      now: () => now,
    });

  const alter = (token: string) => {
    const i = Math.floor(token.length / 2);
    return `${token.slice(0, i)}${token[i] === 'A' ? 'B' : 'A'}${token.slice(i + 1)}`;
  };

  it('C6/R42: unknown, malformed, altered, expired and wrong-scope tokens get byte-identical 404s', async () => {
    const unsubscribe = await person.token('unsubscribe:marketing');
    const preferences = await person.token('preferences');
    const expired = await codecAt(Date.now() - 200 * DAY).issue({
      subject: person.ref,
      scope: 'preferences',
      ttlDays: 60,
    });
    const erased = await kit.context.subjects.issueToken({
      subjectRef: '0190c1d2-0000-7000-8000-000000000000',
      scope: 'preferences',
    });
    const erasedUnsubscribe = await kit.context.subjects.issueToken({
      subjectRef: '0190c1d2-0000-7000-8000-000000000000',
      scope: 'unsubscribe:marketing',
    });
    const cases: Array<[string, string]> = [
      ['unknown', '/u/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
      ['malformed', '/u/%25%3Cscript%3E'],
      ['short', '/p/x'],
      ['altered unsubscribe', `/u/${alter(unsubscribe)}`],
      ['altered preferences', `/p/${alter(preferences)}`],
      ['expired', `/p/${expired}`],
      ['preferences token on /u', `/u/${preferences}`],
      ['unsubscribe token on /p', `/p/${unsubscribe}`],
      ['unknown purpose scope', `/u/${await person.token('unsubscribe:no-such-purpose')}`],
      ['other scope', `/p/${await person.token('admin')}`],
      ['unknown subject', `/p/${erased}`],
      ['unknown subject on /u', `/u/${erasedUnsubscribe}`],
      ['no token', '/u/'],
      ['no token, no slash', '/p'],
      ['extra segment', `/u/${unsubscribe}/extra`],
    ];
    const bodies = new Set<string>();
    for (const [name, path] of cases) {
      for (const method of ['GET', 'POST']) {
        const res = await kit.request(path, {
          method,
          ...(method === 'POST' ? { body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }) } : {}),
        });
        expect(res.status, `${name} ${method}`).to.equal(404);
        expect(res.headers.get('content-type')).to.match(/^text\/html/);
        bodies.add(await res.text());
      }
    }
    // An unknown person's one-click link stays a 404 whatever the POST carries: a body that is not
    // a one-click, or a GPC signal (which records before the person's own decision).
    for (const [name, init] of [
      ['no form', { method: 'POST', body: 'x' }],
      [
        'GPC',
        { method: 'POST', headers: { 'sec-gpc': '1' }, body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }) },
      ],
    ] as const) {
      const res = await kit.request(`/u/${erasedUnsubscribe}`, init);
      expect(res.status, `unknown subject on /u, ${name}`).to.equal(404);
      bodies.add(await res.text());
    }
    const put = await kit.request(`/u/${unsubscribe}`, { method: 'PUT' });
    expect(put.status).to.equal(404);
    bodies.add(await put.text());
    expect(bodies.size).to.equal(1);
    expect(await person.transitions()).to.equal(0);
  });

  it('C7/R36: a link from a message sent 59 days ago still works', async () => {
    const token = await codecAt(Date.now() - 59 * DAY).issue({
      subject: person.ref,
      scope: 'unsubscribe:marketing',
      ttlDays: 60,
    });
    expect((await kit.request(`/u/${token}`)).status).to.equal(200);
    const res = await kit.request(`/u/${token}`, {
      method: 'POST',
      body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
    });
    expect(res.status).to.equal(200);
    expect((await person.state()).marketing?.status).to.equal('denied');
  });

  it('R36: the ledger refuses to issue tokens that live less than 60 days', async () => {
    let error: unknown;
    try {
      await kit.context.subjects.issueToken({ subjectRef: person.ref, scope: 'preferences', ttlDays: 59 });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(Error);
  });
});
