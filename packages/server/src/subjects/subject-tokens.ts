// The subject service's links (subject-service.ts): the HMAC tokens of unsubscribe and preference
// links, and of confirmation links, which seal a grant's record id instead of a person's ref.
import { ConsentError, createTokenCodec } from '@consentkit/core';
import type { Keyring } from '../platform/crypto/keyring.js';
import { hmacSha256 } from '../platform/crypto/node-hmac.js';
import type { IssueTokenInput, SubjectService } from './subject-service-contract.js';

/** Token scopes of confirmation links: `confirm:<purpose>`; the token's sealed subject is the grant's record id. */
export const CONFIRM_SCOPE_PREFIX = 'confirm:';

const MIN_TOKEN_DAYS = 60;

export type SubjectTokens = Pick<
  SubjectService,
  'issueToken' | 'issueConfirmationToken' | 'verifyConfirmationToken' | 'verifyToken'
>;

export function createSubjectTokens(options: {
  readonly keyring: Keyring;
  /** Unsubscribe links must outlive a mail campaign: at least 60 days (R36, R42). */
  readonly tokenTtlDays?: number | undefined;
}): SubjectTokens {
  const { keyring } = options;
  const defaultTtl = Math.max(options.tokenTtlDays ?? 180, MIN_TOKEN_DAYS);
  const codec = createTokenCodec({
    keys: keyring.tokenKeys.keys,
    currentKid: keyring.tokenKeys.currentKid,
    hmac: hmacSha256,
  });

  function issueToken(input: IssueTokenInput): Promise<string> {
    const ttlDays = input.ttlDays ?? defaultTtl;
    if (ttlDays < MIN_TOKEN_DAYS) {
      throw new ConsentError('invalid-options', `unsubscribe tokens live at least ${MIN_TOKEN_DAYS} days`, {
        hint: 'R36/R42: the link must keep working for 60 days.',
      });
    }
    return codec.issue({ subject: input.subjectRef, scope: input.scope, ttlDays });
  }

  async function verifyToken(token: string, verifyOptions: { readonly scope?: string } = {}) {
    try {
      return await codec.verify(token, verifyOptions.scope === undefined ? {} : { scope: verifyOptions.scope });
    } catch {
      return undefined;
    }
  }

  return {
    issueToken,
    issueConfirmationToken(input) {
      return issueToken({
        subjectRef: input.recordId,
        scope: `${CONFIRM_SCOPE_PREFIX}${input.purpose}`,
        ...(input.ttlDays === undefined ? {} : { ttlDays: input.ttlDays }),
      });
    },
    async verifyConfirmationToken(token) {
      const claims = await verifyToken(token);
      if (!claims?.scope.startsWith(CONFIRM_SCOPE_PREFIX)) return undefined;
      const purpose = claims.scope.slice(CONFIRM_SCOPE_PREFIX.length);
      return purpose === '' ? undefined : { recordId: claims.subject, purpose };
    },
    verifyToken,
  };
}
