import { expect } from 'chai';
import { backoffCeiling, backoffDelay, parseRetryAfter } from './retry.js';

describe('retry backoff', () => {
  it('grows exponentially under a ceiling, with full jitter', () => {
    const opts = { baseMs: 1000, maxMs: 8000 };
    expect(backoffDelay({ ...opts, attempt: 1, random: () => 0.999 })).to.be.closeTo(1000, 1);
    expect(backoffDelay({ ...opts, attempt: 3, random: () => 0.999 })).to.be.closeTo(4000, 4);
    expect(backoffDelay({ ...opts, attempt: 10, random: () => 0.999 })).to.be.closeTo(8000, 8);
    // jitter spreads clients out, but never below half the base (no hot loop)
    expect(backoffDelay({ ...opts, attempt: 3, random: () => 0 })).to.equal(500);
    const samples = new Set(Array.from({ length: 20 }, () => backoffDelay({ ...opts, attempt: 4 })));
    expect(samples.size).to.be.greaterThan(1);
  });

  it('never retries sooner than Retry-After', () => {
    const delay = backoffDelay({ baseMs: 1000, maxMs: 8000, attempt: 1, retryAfterMs: 30_000, random: () => 0.5 });
    expect(delay).to.equal(30_500);
  });

  it('takes a fixed jitter fraction below the ceiling, as the partner worker uses it', () => {
    const opts = { baseMs: 60_000, maxMs: 6 * 3_600_000, jitter: 0.5 };
    expect(backoffCeiling({ ...opts, attempt: 3 })).to.equal(240_000);
    expect(backoffDelay({ ...opts, attempt: 3, random: () => 0 })).to.equal(240_000);
    expect(backoffDelay({ ...opts, attempt: 3, random: () => 1 })).to.equal(120_000);
    expect(backoffCeiling({ ...opts, attempt: 40 })).to.equal(6 * 3_600_000);
    expect(backoffCeiling({ baseMs: 100, maxMs: 10_000, factor: 3, attempt: 3 })).to.equal(900);
  });

  it('parses Retry-After as seconds or an HTTP-date (RFC 9110 §10.2.3)', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    expect(parseRetryAfter('120', now)).to.equal(120_000);
    expect(parseRetryAfter('Sat, 28 Nov 2026 12:00:30 GMT', now)).to.equal(30_000);
    expect(parseRetryAfter('Sat, 28 Nov 2026 11:00:00 GMT', now)).to.equal(0);
    expect(parseRetryAfter('soon', now)).to.equal(undefined);
    expect(parseRetryAfter(null, now)).to.equal(undefined);
  });
});
