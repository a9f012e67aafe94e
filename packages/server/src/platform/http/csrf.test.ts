import { expect } from 'chai';
import { createCsrf, isCrossSiteRequest } from './csrf.js';

const key = 'k'.repeat(32);

describe('preference form CSRF field (R41, C10)', () => {
  it('accepts a field issued for the same page token', () => {
    const csrf = createCsrf({ key });
    expect(csrf.verify('tok-a', csrf.issue('tok-a'))).to.equal('ok');
  });

  it('rejects a missing, forged or other-page field', () => {
    const csrf = createCsrf({ key });
    expect(csrf.verify('tok-a', undefined)).to.equal('missing');
    expect(csrf.verify('tok-a', '')).to.equal('missing');
    expect(csrf.verify('tok-a', csrf.issue('tok-b'))).to.equal('invalid');
    expect(csrf.verify('tok-a', `${Math.floor(Date.now() / 1000)}.${'A'.repeat(43)}`)).to.equal('invalid');
    expect(csrf.verify('tok-a', 'not-a-field')).to.equal('invalid');
    const other = createCsrf({ key: 'x'.repeat(32) });
    expect(csrf.verify('tok-a', other.issue('tok-a'))).to.equal('invalid');
  });

  it('expires', () => {
    let now = Date.UTC(2026, 0, 1);
    const csrf = createCsrf({ key, ttlMs: 60_000, now: () => now });
    const field = csrf.issue('tok-a');
    now += 61_000;
    expect(csrf.verify('tok-a', field)).to.equal('expired');
  });

  it('refuses a short key', () => {
    expect(() => createCsrf({ key: 'short' })).to.throw(/32 bytes/);
  });

  it('treats cross-site fetch metadata and foreign origins as cross-site, Origin: null as unknown', () => {
    const own = 'https://ledger.example';
    expect(isCrossSiteRequest(new Headers({ 'sec-fetch-site': 'cross-site' }), own)).to.equal(true);
    expect(isCrossSiteRequest(new Headers({ origin: 'https://evil.example' }), own)).to.equal(true);
    expect(isCrossSiteRequest(new Headers({ origin: 'null', 'sec-fetch-site': 'same-origin' }), own)).to.equal(false);
    expect(isCrossSiteRequest(new Headers({ origin: own }), own)).to.equal(false);
    expect(isCrossSiteRequest(new Headers(), own)).to.equal(false);
  });
});
