import { expect } from 'chai';
import { createCommitment, normalizeIdentifier, verifyCommitment } from './commitment.js';
import { ConsentError } from './errors.js';
import { sha256Hex } from './hash.js';

describe('identifier commitments', () => {
  it('normalises an email: trimmed, NFC, lowercased in both parts, dots and +tags kept', () => {
    expect(normalizeIdentifier('  Jane.Doe+News@Example.COM \n')).to.equal('jane.doe+news@example.com');
    // "é" as e + combining acute (NFD) and as one code point (NFC) are one address.
    expect(normalizeIdentifier('Ame\u0301lie@exemple.fr')).to.equal(normalizeIdentifier('AM\u00c9LIE@EXEMPLE.FR'));
    expect(normalizeIdentifier('Ame\u0301lie@exemple.fr')).to.equal('am\u00e9lie@exemple.fr');
  });

  it('rejects things that are not an email address', () => {
    for (const bad of ['', '   ', 'no-at-sign', '@example.com', 'jane@', 'a@b@c', 'jane doe@example.com']) {
      expect(() => normalizeIdentifier(bad), bad)
        .to.throw(ConsentError)
        .with.property('code', 'invalid-options');
    }
  });

  it('commits with a fresh 16-byte salt as sha256Hex(salt:kind:identifier) and hides the address', async () => {
    const a = await createCommitment({ identifier: 'Jane@Example.com' });
    const b = await createCommitment({ identifier: 'jane@example.com' });
    expect(a.commitment).to.match(/^[0-9a-f]{64}$/);
    expect(a.opening.identifier).to.equal('jane@example.com');
    expect(a.opening.kind).to.equal('email');
    expect(a.opening.salt).to.match(/^[A-Za-z0-9_-]{22}$/);
    expect(a.commitment).to.not.equal(b.commitment); // salted: same person, unlinkable commitments
    expect(a.commitment).to.equal(await sha256Hex(`${a.opening.salt}:email:jane@example.com`));
  });

  it('verifies the right opening only', async () => {
    const { commitment, opening } = await createCommitment({ identifier: 'jane@example.com' });
    expect(await verifyCommitment({ commitment, opening })).to.equal(true);
    expect(await verifyCommitment({ commitment, opening: { ...opening, identifier: ' JANE@example.com' } })).to.equal(
      true,
    );
    expect(await verifyCommitment({ commitment, opening: { ...opening, identifier: 'john@example.com' } })).to.equal(
      false,
    );
    const otherSalt = (await createCommitment({ identifier: 'jane@example.com' })).opening.salt;
    expect(await verifyCommitment({ commitment, opening: { ...opening, salt: otherSalt } })).to.equal(false);
    expect(await verifyCommitment({ commitment, opening: { ...opening, salt: 'short' } })).to.equal(false);
    expect(await verifyCommitment({ commitment, opening: { ...opening, salt: `${opening.salt}=` } })).to.equal(false);
    expect(await verifyCommitment({ commitment, opening: { ...opening, identifier: 'not an email' } })).to.equal(false);
    expect(await verifyCommitment({ commitment: commitment.toUpperCase(), opening })).to.equal(false);
  });
});
