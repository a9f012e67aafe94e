import { MESSAGE_PREFIX } from '@consentkit/core';
import { expect } from 'chai';
import { warn } from './warn.js';

describe('warn', () => {
  it('prints once per code and source, with the house prefix and the code’s docs entry', () => {
    const seen: string[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => seen.push(args.map(String).join(' '));
    const source = {};
    try {
      warn('no-client', 'no ledger endpoint is configured.', source);
      warn('no-client', 'no ledger endpoint is configured.', source);
      warn('no-client', 'no ledger endpoint is configured.', {});
    } finally {
      console.warn = original;
    }
    const line = `${MESSAGE_PREFIX} no-client: no ledger endpoint is configured. See ConsentKit docs/errors.md#no-client`;
    expect(seen).to.deep.equal([line, line]);
  });
});
