import { expect } from 'chai';
import { createNonce } from './secure-headers.js';

describe('CSP nonces', () => {
  it('are 18 random bytes in base64url, never repeated across pool refills', () => {
    const seen = new Set<string>();
    // 2,000 nonces span several refills of the 256-nonce pool.
    for (let i = 0; i < 2000; i++) {
      const nonce = createNonce();
      expect(nonce).to.match(/^[A-Za-z0-9_-]{24}$/);
      seen.add(nonce);
    }
    expect(seen.size).to.equal(2000);
  });
});
