import { allstreamPolicy } from '@consentkit/test-support/policy';
import { expect } from 'chai';
import { ConsentValidationError } from './errors.js';
import type { Policy } from './policy.js';
import { parsePolicy } from './policy-schema.js';

function edited(change: (p: Policy) => void): Policy {
  const copy = structuredClone(allstreamPolicy);
  change(copy);
  return copy;
}

function purposeOf(policy: Policy, id: string) {
  const found = policy.purposes.find((p) => p.id === id);
  if (!found) throw new Error(id);
  return found;
}

/** Parses and returns the thrown validation error (fails the test when nothing is thrown). */
function rejection(value: unknown): ConsentValidationError {
  try {
    parsePolicy(value);
  } catch (error) {
    expect(error).to.be.instanceOf(ConsentValidationError);
    return error as ConsentValidationError;
  }
  throw new Error('expected parsePolicy to throw');
}

function paths(error: ConsentValidationError): string[] {
  return error.issues.map((i) => i.path.join('.'));
}

describe('parsePolicy', () => {
  it('accepts the AllStream policy and returns it unchanged', () => {
    expect(parsePolicy(allstreamPolicy)).to.deep.equal(allstreamPolicy);
  });

  it('reports zod-shaped issues and says what and where', () => {
    const error = rejection(
      edited((p) => {
        purposeOf(p, 'marketing').retention = '2 years';
      }),
    );
    expect(error.code).to.equal('invalid-policy');
    expect(error.issues[0]).to.deep.include({ path: ['purposes', 1, 'retention'] });
    expect(error.issues[0]?.code).to.be.a('string');
    expect(error.message).to.contain('purposes.1.retention');
    expect(error.message).to.contain('ISO 8601');
  });

  it('rejects invalid ISO 8601 durations and accepts valid ones', () => {
    for (const bad of ['P', 'PT', 'P1', '1Y', 'P1YT', 'p1y']) {
      expect(
        paths(
          rejection(
            edited((p) => {
              p.recordRetention = bad;
            }),
          ),
        ),
        bad,
      ).to.include('recordRetention');
    }
    for (const good of ['P7Y', 'P1Y6M', 'P2W', 'PT12H', 'P1DT1.5S']) {
      expect(
        () =>
          parsePolicy(
            edited((p) => {
              p.recordRetention = good;
            }),
          ),
        good,
      ).to.not.throw();
    }
  });

  it('requires English text in every localized field', () => {
    const error = rejection(
      edited((p) => {
        purposeOf(p, 'marketing').title = { fr: 'Courriels' };
      }),
    );
    expect(paths(error)).to.include('purposes.1.title');
    expect(error.message).to.contain('"en"');
  });

  it('rejects duplicate purpose, recipient and data-category ids', () => {
    const dupPurpose = rejection(
      edited((p) => {
        purposeOf(p, 'loyalty-programme').id = 'marketing';
      }),
    );
    expect(paths(dupPurpose)).to.include('purposes.2.id');
    const dupRecipient = rejection(
      edited((p) => void p.recipients.push({ ...(p.recipients[0] as Policy['recipients'][0]) })),
    );
    expect(paths(dupRecipient)).to.include('recipients.2.id');
  });

  it('rejects references to unknown recipients and data categories', () => {
    const error = rejection(
      edited((p) => {
        purposeOf(p, 'partner-sharing').recipients = ['ghost'];
        purposeOf(p, 'marketing').dataCategories = ['nothing'];
        (p.dataCategories[0] as Policy['dataCategories'][0]).sharedWith = ['phantom'];
      }),
    );
    expect(paths(error)).to.include.members([
      'purposes.4.recipients.0',
      'purposes.1.dataCategories.0',
      'dataCategories.0.sharedWith.0',
    ]);
  });

  it('requires exactly one primary purpose', () => {
    expect(
      paths(
        rejection(
          edited((p) => {
            purposeOf(p, 'application-processing').primary = false;
          }),
        ),
      ),
    ).to.include('purposes');
    const two = rejection(
      edited((p) => {
        const m = purposeOf(p, 'relationship-management');
        m.primary = true;
      }),
    );
    expect(two.message).to.contain('exactly one purpose must be primary (found 2)');
  });

  it('requires express for sensitive purposes and sensitive data (R31 4.3.6)', () => {
    const error = rejection(
      edited((p) => {
        purposeOf(p, 'relationship-management').sensitive = true;
      }),
    );
    expect(error.message).to.contain('sensitive');
    expect(paths(error)).to.include('purposes.3.basis');
    const viaCategory = rejection(
      edited((p) => {
        purposeOf(p, 'relationship-management').dataCategories = ['financial-details'];
      }),
    );
    expect(paths(viaCategory)).to.include('purposes.3.basis');
  });

  it('requires express when a purpose shares with third parties, in every jurisdiction override', () => {
    const error = rejection(
      edited((p) => {
        const m = purposeOf(p, 'marketing');
        m.recipients = ['authorized-partners'];
      }),
    );
    expect(error.message).to.contain('third parties');
    const viaOverride = rejection(
      edited((p) => {
        purposeOf(p, 'partner-sharing').jurisdictions = { US: { basis: 'opt-out', legalBasis: 'implied-consent' } };
      }),
    );
    expect(paths(viaOverride)).to.include('purposes.4.jurisdictions.US.basis');
  });

  it('allows processors on an opt-out purpose (a processor is not a third party)', () => {
    const ok = edited((p) => {
      p.recipients.push({ id: 'mailer', name: 'Mail service', kind: 'processor', audited: true });
      purposeOf(p, 'marketing').recipients = ['mailer'];
    });
    expect(() => parsePolicy(ok)).to.not.throw();
  });

  it('keeps implied consent for the primary purpose only', () => {
    const error = rejection(
      edited((p) => {
        purposeOf(p, 'relationship-management').basis = 'implied';
      }),
    );
    expect(error.message).to.contain('implied consent covers only the primary purpose');
  });

  it('never lets a non-express purpose claim consent as its legal basis (R37)', () => {
    const error = rejection(
      edited((p) => {
        purposeOf(p, 'marketing').legalBasis = 'consent';
      }),
    );
    expect(paths(error)).to.include('purposes.1.legalBasis');
    const express = rejection(
      edited((p) => {
        purposeOf(p, 'partner-sharing').legalBasis = 'legitimate-interest';
      }),
    );
    expect(paths(express)).to.include('purposes.4.legalBasis');
  });

  it('rejects a GDPR override that keeps an implied or opt-out consent (R21, R23)', () => {
    const error = rejection(
      edited((p) => {
        purposeOf(p, 'relationship-management').jurisdictions = { DE: { basis: 'opt-out' } };
      }),
    );
    expect(paths(error)).to.include('purposes.3.jurisdictions.DE.legalBasis');
    expect(error.message).to.contain('GDPR');
    // Outside GDPR the same override is fine.
    const ok = edited((p) => {
      purposeOf(p, 'relationship-management').jurisdictions = { US: { basis: 'opt-out' } };
    });
    expect(() => parsePolicy(ok)).to.not.throw();
  });

  it('rejects unknown fields (typos must not pass silently)', () => {
    const value = { ...structuredClone(allstreamPolicy), controler: {} };
    expect(rejection(value).issues[0]?.code).to.equal('unrecognized_keys');
  });

  it('rejects a purpose introduced after the policy version, and a GPC primary purpose', () => {
    expect(
      paths(
        rejection(
          edited((p) => {
            purposeOf(p, 'credit-check').since = '1.2';
          }),
        ),
      ),
    ).to.include('purposes.5.since');
    expect(
      paths(
        rejection(
          edited((p) => {
            purposeOf(p, 'application-processing').gpc = 'sale';
          }),
        ),
      ),
    ).to.include('purposes.0.gpc');
  });

  it('checks locales and the controller', () => {
    expect(
      paths(
        rejection(
          edited((p) => {
            p.defaultLocale = 'de';
          }),
        ),
      ),
    ).to.include('defaultLocale');
    expect(
      paths(
        rejection(
          edited((p) => {
            p.locales = ['fr'];
          }),
        ),
      ),
    ).to.include('locales');
    expect(
      paths(
        rejection(
          edited((p) => {
            p.controller.contact.email = 'nope';
          }),
        ),
      ),
    ).to.include('controller.contact.email');
  });

  it('rejects things that are not policies', () => {
    for (const value of [null, 42, 'policy', [], {}]) {
      expect(rejection(value).code).to.equal('invalid-policy');
    }
  });

  it('R71: text that has no RFC 8785 form (a lone surrogate) is a policy error, not a later digest crash', () => {
    const policy = edited((p) => {
      const first = p.purposes[0];
      if (first) first.title = { ...first.title, en: '\uD800Marketing' };
    });
    expect(() => parsePolicy(policy)).to.throw(ConsentValidationError, /lone surrogate/);
    try {
      parsePolicy(policy);
    } catch (error) {
      expect((error as ConsentValidationError).code).to.equal('invalid-policy');
    }
  });
});
