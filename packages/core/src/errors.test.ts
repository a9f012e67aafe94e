import { expect } from 'chai';
import { ConsentError, ConsentValidationError, formatErrorMessage } from './errors.js';
import { TransportError } from './transport-error.js';

describe('errors', () => {
  it('formats what failed, the hint and the docs link in one place', () => {
    const error = new ConsentError('invalid-token', 'token signature does not match', {
      hint: 'Did you rotate the key?',
    });
    expect(error.message).to.equal(
      '[consentkit] token signature does not match. Did you rotate the key? See ConsentKit docs/errors.md#invalid-token',
    );
    expect(error.code).to.equal('invalid-token');
    expect(error.reason).to.equal('token signature does not match. Did you rotate the key?');
    expect(error.name).to.equal('ConsentError');
    expect(error).to.be.instanceOf(Error);
  });

  it('never doubles the prefix', () => {
    expect(formatErrorMessage('internal', '[consentkit] boom')).to.equal(
      '[consentkit] boom. See ConsentKit docs/errors.md#internal',
    );
  });

  it('keeps the cause and structured issues', () => {
    const cause = new Error('inner');
    const error = new ConsentValidationError('invalid-record', 'record is invalid', {
      cause,
      issues: [{ code: 'invalid_type', path: ['decisions', 0, 'purpose'], message: 'Required' }],
    });
    expect(error.cause).to.equal(cause);
    expect(error.issues[0]?.path).to.deep.equal(['decisions', 0, 'purpose']);
    expect(error.name).to.equal('ConsentValidationError');
    expect(new TransportError('server said 503', { status: 503 }).status).to.equal(503);
    expect(new TransportError('server said 503').code).to.equal('transport');
    expect(new TransportError('origin refused', { code: 'origin-not-allowed' }).code).to.equal('origin-not-allowed');
  });
});
