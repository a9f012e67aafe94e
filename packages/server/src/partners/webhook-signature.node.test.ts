/**
 * Partner webhook signatures (third parties): HMAC-SHA256 over `t.body`, a replay window,
 * several v1 values during rotation. The expected MACs are computed here from the documented
 * formula, so a change of format breaks these tests, not just the round trip.
 */

import { createHmac } from 'node:crypto';
import { ConsentError } from '@consentkit/core';
import { expect } from 'chai';
import {
  computeSignature,
  DEFAULT_TOLERANCE_SECONDS,
  parseSignatureHeader,
  signWebhook,
  verifyWebhookSignature,
} from './webhook-signature.js';

const SECRET = 'whsec_test_0123456789abcdef';
const BODY = JSON.stringify({ id: 'evt_1', type: 'consent.withdrawn', data: { purpose: 'partner-sharing' } });
const T = 1_800_000_000;

function hmac(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

describe('webhook signatures', () => {
  it('signs as t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + body)>', () => {
    const header = signWebhook({ secret: SECRET, body: BODY, timestamp: T });
    expect(header).to.equal(`t=${T},v1=${hmac(SECRET, `${T}.${BODY}`)}`);
    expect(computeSignature(SECRET, T, new TextEncoder().encode(BODY))).to.equal(hmac(SECRET, `${T}.${BODY}`));
  });

  it('verifies a valid signature inside the window', () => {
    const header = signWebhook({ secret: SECRET, body: BODY, timestamp: T });
    expect(verifyWebhookSignature({ header, body: BODY, secret: SECRET, now: T + 10 })).to.deep.equal({
      ok: true,
      timestamp: T,
    });
    // Raw bytes and the string are the same body.
    const bytes = new TextEncoder().encode(BODY);
    expect(verifyWebhookSignature({ header, body: bytes, secret: SECRET, now: T }).ok).to.equal(true);
  });

  it('rejects an altered body', () => {
    const header = signWebhook({ secret: SECRET, body: BODY, timestamp: T });
    const altered = BODY.replace('withdrawn', 'given');
    const result = verifyWebhookSignature({ header, body: altered, secret: SECRET, now: T });
    expect(result).to.include({ ok: false, reason: 'no-match' });
    // Even whitespace matters: partners must verify the raw body, not re-serialised JSON.
    expect(verifyWebhookSignature({ header, body: `${BODY} `, secret: SECRET, now: T }).ok).to.equal(false);
  });

  it('rejects the wrong secret', () => {
    const header = signWebhook({ secret: 'another-secret', body: BODY, timestamp: T });
    expect(verifyWebhookSignature({ header, body: BODY, secret: SECRET, now: T })).to.include({
      ok: false,
      reason: 'no-match',
    });
  });

  it('rejects a timestamp outside the replay window, past or future (default 5 min)', () => {
    expect(DEFAULT_TOLERANCE_SECONDS).to.equal(300);
    const header = signWebhook({ secret: SECRET, body: BODY, timestamp: T });
    expect(verifyWebhookSignature({ header, body: BODY, secret: SECRET, now: T + 300 }).ok).to.equal(true);
    for (const now of [T + 301, T - 301, T + 86_400]) {
      const result = verifyWebhookSignature({ header, body: BODY, secret: SECRET, now });
      expect(result, String(now)).to.include({ ok: false, reason: 'outside-window' });
    }
    expect(
      verifyWebhookSignature({ header, body: BODY, secret: SECRET, now: T + 30, toleranceSeconds: 10 }).ok,
    ).to.equal(false);
  });

  it('rejects a replayed request whose timestamp was changed (the timestamp is inside the MAC)', () => {
    const header = signWebhook({ secret: SECRET, body: BODY, timestamp: T });
    const forged = header.replace(`t=${T}`, `t=${T + 3600}`);
    expect(verifyWebhookSignature({ header: forged, body: BODY, secret: SECRET, now: T + 3600 })).to.include({
      ok: false,
      reason: 'no-match',
    });
  });

  it('rejects malformed and missing headers', () => {
    const v1 = hmac(SECRET, `${T}.${BODY}`);
    const malformed = [
      'garbage',
      `v1=${v1}`, // no timestamp
      `t=${T}`, // no signature
      `t=${T},v1=${v1.slice(0, 63)}`, // short
      `t=${T},v1=${v1.toUpperCase()}`, // hex is lowercase
      `t=abc,v1=${v1}`,
      `t=-5,v1=${v1}`,
      `t=${T},t=${T},v1=${v1}`,
      `t=${T};v1=${v1}`,
      `t=${T},v1=${v1},=x`,
    ];
    for (const header of malformed) {
      const result = verifyWebhookSignature({ header, body: BODY, secret: SECRET, now: T });
      expect(result, header).to.include({ ok: false, reason: 'malformed-header' });
    }
    for (const header of [undefined, null, '']) {
      expect(verifyWebhookSignature({ header, body: BODY, secret: SECRET, now: T })).to.include({
        ok: false,
        reason: 'missing-header',
      });
    }
  });

  it('accepts any of several v1 values and any of several secrets during rotation', () => {
    const header = signWebhook({ secret: ['new-secret', 'old-secret'], body: BODY, timestamp: T });
    expect(parseSignatureHeader(header)?.signatures).to.have.length(2);
    // A partner that has not switched yet, one that has, and one holding both.
    for (const secret of ['old-secret', 'new-secret', ['new-secret', 'old-secret']]) {
      expect(verifyWebhookSignature({ header, body: BODY, secret, now: T }).ok, String(secret)).to.equal(true);
    }
    expect(verifyWebhookSignature({ header, body: BODY, secret: 'retired-secret', now: T }).ok).to.equal(false);
  });

  it('skips unknown schemes so the format can evolve', () => {
    const v1 = hmac(SECRET, `${T}.${BODY}`);
    const header = `t=${T},v0=${'0'.repeat(64)},v1=${v1},v2=future`;
    expect(verifyWebhookSignature({ header, body: BODY, secret: SECRET, now: T }).ok).to.equal(true);
  });

  it('refuses to sign with an empty secret', () => {
    expect(() => signWebhook({ secret: '', body: BODY }))
      .to.throw(ConsentError)
      .with.property('code', 'invalid-options');
    expect(() => signWebhook({ secret: [], body: BODY }))
      .to.throw(ConsentError)
      .with.property('code', 'invalid-options');
  });
});
