import { expect } from 'chai';
import { createPreparedNames, preparedName } from './replan.js';

describe('replan: when a named statement is prepared again', () => {
  it('keeps the name for the first 7 executions, then moves on as the executions double', () => {
    const names = Array.from({ length: 70 }, (_, i) => preparedName('s', i + 1));
    expect(names.slice(0, 7)).to.deep.equal(Array(7).fill('s'));
    expect(names.slice(7, 15)).to.deep.equal(Array(8).fill('s~1'));
    expect(names.slice(15, 31)).to.deep.equal(Array(16).fill('s~2'));
    expect(names[31]).to.equal('s~3');
    expect(names[63]).to.equal('s~4');
    // Bounded: a statement run forever is prepared a fixed number of times.
    expect(preparedName('s', 2 ** 24)).to.equal('s~22');
    expect(preparedName('s', 2 ** 40)).to.equal('s~22');
  });

  it('counts each name apart', () => {
    const nameOf = createPreparedNames();
    for (let i = 0; i < 7; i++) expect(nameOf('a')).to.equal('a');
    expect(nameOf('b')).to.equal('b');
    expect(nameOf('a')).to.equal('a~1');
  });
});
