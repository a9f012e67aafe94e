import { expect } from 'chai';
import { ConsentError } from './errors.js';
import { isUuid, uuidv7, uuidv7Time } from './uuid.js';

describe('uuidv7', () => {
  it('lays out version 7, variant 10 and the 48-bit millisecond timestamp (RFC 9562 §5.7)', () => {
    const ms = 0x0189_72a3_b4c5; // a date in 2023
    const id = uuidv7(ms);
    expect(id).to.match(/^018972a3-b4c5-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidv7Time(id)).to.equal(ms);
    expect(isUuid(id)).to.equal(true);
    expect(uuidv7Time(uuidv7(0))).to.equal(0);
    expect(uuidv7(0).startsWith('00000000-0000-7')).to.equal(true);
    expect(uuidv7(0xffff_ffff_ffff).startsWith('ffffffff-ffff-7')).to.equal(true);
  });

  it('is unique and sorts in creation order, also within one millisecond', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => uuidv7(1_700_000_000_000 + Math.floor(i / 500)));
    expect(new Set(ids).size).to.equal(ids.length);
    expect([...ids].sort()).to.deep.equal(ids);
  });

  it('rejects timestamps outside 48 bits', () => {
    for (const bad of [-1, 2 ** 48, Number.NaN]) {
      expect(() => uuidv7(bad))
        .to.throw(ConsentError, 'is outside 48 bits')
        .with.property('code', 'invalid-options');
    }
  });
});

describe('isUuid', () => {
  it('accepts lowercase RFC 9562 UUIDs and rejects everything else', () => {
    expect(isUuid('f47ac10b-58cc-4372-a567-0e02b2c3d479')).to.equal(true);
    expect(isUuid('F47AC10B-58CC-4372-A567-0E02B2C3D479')).to.equal(false);
    expect(isUuid('f47ac10b-58cc-0372-a567-0e02b2c3d479')).to.equal(false); // version 0
    expect(isUuid('f47ac10b-58cc-4372-c567-0e02b2c3d479')).to.equal(false); // variant 110
    expect(isUuid('f47ac10b58cc4372a5670e02b2c3d479')).to.equal(false);
    expect(isUuid('f47ac10b-58cc-4372-a567-0e02b2c3d479 ')).to.equal(false);
    expect(isUuid(42)).to.equal(false);
    expect(uuidv7Time('f47ac10b-58cc-4372-a567-0e02b2c3d479')).to.equal(undefined);
  });
});
