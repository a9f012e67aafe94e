import { expect } from 'chai';
import { isGdprJurisdiction } from './jurisdiction.js';

const EU27 = 'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE'.split(' ');

describe('isGdprJurisdiction (R16–R37, crosswalk §2.5)', () => {
  it('covers the 27 EU member states, the EEA, the UK and the bloc codes', () => {
    expect(EU27).to.have.length(27);
    for (const code of [...EU27, 'IS', 'LI', 'NO', 'GB', 'EU', 'EEA']) {
      expect(isGdprJurisdiction(code), code).to.equal(true);
    }
  });

  it('accepts subdivisions and any letter case', () => {
    expect(isGdprJurisdiction('FR-75')).to.equal(true);
    expect(isGdprJurisdiction('es-cn')).to.equal(true);
    expect(isGdprJurisdiction('GB-SCT')).to.equal(true);
    expect(isGdprJurisdiction('de')).to.equal(true);
  });

  it('is false elsewhere and for missing or malformed codes', () => {
    for (const code of ['CA', 'CA-QC', 'US', 'US-CA', 'CH', 'TR', 'AU', 'BR', 'E', 'EUR', 'FRA', '', '-FR', 'XX']) {
      expect(isGdprJurisdiction(code), code).to.equal(false);
    }
    expect(isGdprJurisdiction(undefined)).to.equal(false);
    expect(isGdprJurisdiction(null)).to.equal(false);
  });
});
