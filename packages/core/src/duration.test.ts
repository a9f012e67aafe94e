import { expect } from 'chai';
import { addDuration, parseDuration, parseInterval } from './duration.js';
import { ConsentError } from './errors.js';

const T0 = new Date('2020-03-15T10:00:00.000Z');
const at = (base: Date, duration: string) => addDuration(base, duration);

describe('durations: ISO 8601 on the UTC calendar (policy retention periods)', () => {
  it('adds years, months, weeks, days and times', () => {
    expect(at(T0, 'P2Y').toISOString()).to.equal('2022-03-15T10:00:00.000Z');
    expect(at(T0, 'P6M').toISOString()).to.equal('2020-09-15T10:00:00.000Z');
    expect(at(T0, 'P1Y6M').toISOString()).to.equal('2021-09-15T10:00:00.000Z');
    expect(at(T0, 'P1W').toISOString()).to.equal('2020-03-22T10:00:00.000Z');
    expect(at(T0, 'PT12H').toISOString()).to.equal('2020-03-15T22:00:00.000Z');
    expect(at(T0, 'P1DT0.5S').toISOString()).to.equal('2020-03-16T10:00:00.500Z');
  });

  it('clamps to the end of a shorter month instead of spilling into the next', () => {
    expect(at(new Date('2021-01-31T00:00:00Z'), 'P1M').toISOString()).to.equal('2021-02-28T00:00:00.000Z');
    expect(at(new Date('2020-02-29T00:00:00Z'), 'P1Y').toISOString()).to.equal('2021-02-28T00:00:00.000Z');
  });

  it('refuses what is not a duration, with the accepted forms in the message', () => {
    for (const bad of ['2Y', 'P', 'PT', 'P1.5Y', 'P-1Y', '', '10 s', '1x', '-5m']) {
      expect(() => parseDuration(bad), bad)
        .to.throw(ConsentError, /ISO 8601 duration such as "P2Y"/)
        .with.property('code', 'invalid-duration');
    }
  });
});

describe('durations: the short forms of configuration', () => {
  it('reads ms, s, m, min, h, d and w', () => {
    expect(parseInterval('500ms')).to.equal(500);
    expect(parseInterval('90s')).to.equal(90_000);
    expect(parseInterval('30m')).to.equal(1_800_000);
    expect(parseInterval('2min')).to.equal(120_000);
    expect(parseInterval('24h')).to.equal(86_400_000);
    expect(parseInterval('1d')).to.equal(86_400_000);
    expect(parseInterval('1W')).to.equal(7 * 86_400_000);
    expect(parseInterval('PT10S')).to.equal(10_000);
  });

  it('accepts off only where the setting allows it', () => {
    expect(parseInterval('OFF', { allowOff: true })).to.equal('off');
    expect(() => parseInterval('off'))
      .to.throw(ConsentError)
      .with.property('code', 'invalid-duration');
  });

  it('refuses lengths that vary, and values out of range, naming the range and the caller’s hint', () => {
    expect(() => parseInterval('P1M')).to.throw(ConsentError, /years or months/);
    expect(() => parseInterval('0s')).to.throw(ConsentError, /out of range \(1ms to /);
    expect(() => parseInterval('50ms', { min: 100, max: 3_600_000, hint: 'Use 10s.' }))
      .to.throw(ConsentError, /out of range \(100ms to 1h\)\. Use 10s\./)
      .with.property('code', 'invalid-duration');
    // setTimeout fires at once past ~24.8 days, so that is the default ceiling.
    expect(() => parseInterval('25d')).to.throw(ConsentError, /out of range/);
  });
});
