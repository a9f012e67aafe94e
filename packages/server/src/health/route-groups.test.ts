import { expect } from 'chai';
import { routeGroupOf } from './route-groups.js';

describe('route groups', () => {
  it('names each feature by its prefix, never by the path a token or address sits in', () => {
    expect(routeGroupOf('/c/AbC.token')).to.equal('confirm');
    expect(routeGroupOf('/v1/attestations')).to.equal('attestations');
    expect(routeGroupOf('/u/AbC.token')).to.equal('unsubscribe');
    expect(routeGroupOf('/p/AbC.token')).to.equal('preferences');
    expect(routeGroupOf('/v1/log/inclusion')).to.equal('log');
    expect(routeGroupOf('/v1/records/123/receipt')).to.equal('records-projections');
    expect(routeGroupOf('/v1/records')).to.equal('records');
  });

  it('counts anything else as other, including look-alike prefixes', () => {
    expect(routeGroupOf('/confirm')).to.equal('other');
    expect(routeGroupOf('/v1/attestationsX')).to.equal('other');
    expect(routeGroupOf('/nowhere/ada@example.com')).to.equal('other');
  });
});
