import { Hono } from 'hono';
import { z } from 'zod';
import { recordAudit } from '../access/audit-log.js';
import { clientIp, principalOf, requireScope } from '../access/require-scope.js';
import { readJson, validate } from '../platform/http/validate.js';
import type { LedgerContext } from '../runtime/context.js';

export const attestationRequestSchema = z
  .strictObject({
    recordId: z.uuid().describe('the record id the site received (the form field consentkit-record)'),
    identifierVerified: z
      .boolean()
      .optional()
      .describe('true when the backend verified the identifier itself (e.g. the person is signed in)'),
  })
  .meta({ id: 'AttestationRequest' });

export const attestationResponseSchema = z
  .object({ attests: z.string(), recordId: z.string(), seq: z.number().int(), receipt: z.string() })
  .meta({ id: 'AttestationResponse' });

export type AttestationsRoutesOptions = { readonly context: LedgerContext; readonly apiKey: string | undefined };

/**
 * POST /v1/attestations (scope `attest`): the site's backend vouches for a record it received
 * from a browser. The ledger appends its own signed record naming it (`attests`), at `site`
 * assurance; the grant it names then counts where the policy requires `site`.
 */
export function createAttestationsRoutes(options: AttestationsRoutesOptions): Hono {
  const { context } = options;
  const app = new Hono();
  app.use('/v1/attestations', requireScope({ store: context.store, adminKey: options.apiKey, scope: 'attest' }));
  app.post('/v1/attestations', async (c) => {
    const body = validate(attestationRequestSchema, await readJson(c), 'the attestation');
    const made = await context.subjects.vouch({
      recordId: body.recordId,
      kind: 'attests',
      ...(body.identifierVerified === undefined ? {} : { identifierVerified: body.identifierVerified }),
    });
    await recordAudit(context.store, {
      actor: principalOf(c).actor,
      action: 'record.attest',
      target: body.recordId,
      ip: clientIp(c),
      detail: { attestation: made.recordId },
    });
    return c.json({ attests: body.recordId, recordId: made.recordId, seq: made.seq, receipt: made.receipt }, 201);
  });
  return app;
}
