import { expect } from 'chai';
import { parseSecGpc } from './gpc.js';

describe('parseSecGpc (R45, R46, B11)', () => {
  it('R45/B11: "1" is an opt-out signal', () => {
    expect(parseSecGpc('1')).to.equal(true);
    expect(parseSecGpc(['1'])).to.equal(true);
  });

  it('R45/B11: any value other than exactly "1" is ignored', () => {
    for (const value of ['0', 'true', 'TRUE', 'yes', '01', '1.0', '+1', '2', '', '1;q=1', 'l', '１']) {
      expect(parseSecGpc(value), JSON.stringify(value)).to.equal(false);
    }
    expect(parseSecGpc(null)).to.equal(false);
    expect(parseSecGpc(undefined)).to.equal(false);
    expect(parseSecGpc([])).to.equal(false);
  });

  it('R45: optional whitespace around the field value is not part of it (RFC 9110 §5.5)', () => {
    expect(parseSecGpc(' 1 ')).to.equal(true);
    expect(parseSecGpc('\t1')).to.equal(true);
    expect(parseSecGpc('1\n')).to.equal(false); // a newline is not OWS
  });

  it('R45/B11: two header lines "0" and "1" count as one Sec-GPC: 1, as lines or comma-joined', () => {
    expect(parseSecGpc(['0', '1'])).to.equal(true);
    expect(parseSecGpc('0, 1')).to.equal(true);
    expect(parseSecGpc('0,1')).to.equal(true);
    expect(parseSecGpc(['0', 'true'])).to.equal(false);
    expect(parseSecGpc('0, true')).to.equal(false);
  });
});
