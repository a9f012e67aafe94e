import { allstreamPolicy } from '@consentkit/test-support/policy';
import { expect } from 'chai';
import { ConsentValidationError } from './errors.js';
import { type ConsentRecord, createRecord } from './record.js';
import { parseRecord } from './record-schema.js';

async function sample(): Promise<ConsentRecord> {
  return createRecord({
    subject: { kind: 'commitment', commitment: 'a'.repeat(64) },
    policy: allstreamPolicy,
    decisions: [
      { purpose: 'application-processing', granted: true, basis: 'implied' },
      { purpose: 'partner-sharing', granted: true, basis: 'express', wording: { sha256: 'b'.repeat(64), text: 'Yes' } },
    ],
    method: 'form-submit',
    interaction: 'pointer',
    collectionPoint: { url: 'https://allstream.example/apply', form: 'application', element: 'partners' },
    locale: 'fr-CA',
    jurisdiction: 'CA',
    context: { relationshipStart: '2026-11-02T10:00:00.000Z', relationship: 'inquiry' },
  });
}

function rejection(value: unknown): ConsentValidationError {
  try {
    parseRecord(value);
  } catch (error) {
    expect(error).to.be.instanceOf(ConsentValidationError);
    expect((error as ConsentValidationError).code).to.equal('invalid-record');
    return error as ConsentValidationError;
  }
  throw new Error('expected parseRecord to throw');
}

describe('parseRecord', () => {
  it('accepts what createRecord builds', async () => {
    const record = await sample();
    expect(parseRecord(JSON.parse(JSON.stringify(record)))).to.deep.equal(record);
  });

  it('rejects each kind of malformed field, naming its path', async () => {
    const record = await sample();
    const cases: [string, unknown][] = [
      ['schema', { ...record, schema: 'consentkit/record@2' }],
      ['id', { ...record, id: 'not-a-uuid' }],
      ['issuedAt', { ...record, issuedAt: '2026-11-02T10:00:00Z' }],
      ['subject.commitment', { ...record, subject: { kind: 'commitment', commitment: 'A'.repeat(64) } }],
      ['policy.digest', { ...record, policy: { ...record.policy, digest: 'xyz' } }],
      ['decisions', { ...record, decisions: [] }],
      ['decisions.0.basis', { ...record, decisions: [{ purpose: 'marketing', granted: true, basis: 'maybe' }] }],
      ['method', { ...record, method: 'telepathy' }],
      ['gpc', { ...record, gpc: 'yes' }],
      ['prev', { ...record, prev: 'abc' }],
      ['locale', { ...record, locale: 'English' }],
    ];
    for (const [path, value] of cases) {
      const error = rejection(value);
      expect(
        error.issues.map((i) => i.path.join('.')),
        path,
      ).to.include(path);
      expect(error.message, path).to.contain(path);
    }
  });

  it('rejects unknown fields and clear identifiers smuggled into the record', async () => {
    const record = await sample();
    expect(rejection({ ...record, email: 'person@example.com' }).issues[0]?.code).to.equal('unrecognized_keys');
    expect(rejection({ ...record, subject: { kind: 'email', email: 'person@example.com' } }).code).to.equal(
      'invalid-record',
    );
  });
});
