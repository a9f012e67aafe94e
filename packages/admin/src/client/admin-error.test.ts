import { ConsentError, isConsentError, MESSAGE_PREFIX } from '@consentkit/core';
import { expect } from 'chai';
import { AdminError } from './admin-error.js';

describe('AdminError', () => {
  it('is a ConsentError over the dashboard codes, with the house message and the plain detail', () => {
    const error = new AdminError('forbidden', 'this key lacks the admin scope', { status: 403 });
    expect(error).to.be.instanceOf(ConsentError);
    expect(isConsentError(error)).to.equal(true);
    expect(error).to.include({ name: 'AdminError', code: 'forbidden', status: 403 });
    expect(error.detail).to.equal('this key lacks the admin scope');
    expect(error.message).to.equal(
      `${MESSAGE_PREFIX} this key lacks the admin scope. See ConsentKit docs/errors.md#forbidden`,
    );
  });

  it('keeps the cause, and no status when the server never answered', () => {
    const cause = new TypeError('Failed to fetch');
    const error = new AdminError('network', 'the server could not be reached', { cause });
    expect(error.cause).to.equal(cause);
    expect(error.status).to.equal(null);
  });
});
