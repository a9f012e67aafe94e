import { isUuid } from '@consentkit/core';
import { Hono } from 'hono';
import { z } from 'zod';
import { appendAudit } from '../access/audit-log.js';
import { clientIp, principalOf, requireScope } from '../access/require-scope.js';
import { HttpError } from '../platform/http/errors.js';
import { validate } from '../platform/http/validate.js';
import type { Store } from '../platform/store/store.js';
import { DELIVERY_STATUSES, listDeliveries, partnerDeliverySchema, retryDelivery } from './partner-deliveries.js';
import { PartnerError } from './partner-error.js';
import type { PartnerRegistry } from './partner-registry.js';

/**
 * The partner API for admins and the /admin dashboard (scope `admin`): the registered partners
 * (never their secrets), the webhook delivery queue and log, and re-queueing a failed delivery.
 * Registering a partner stays at the console (`consentkit partners add`), where the secret is
 * shown once to the operator who passes it on.
 */
export type PartnersRoutesOptions = {
  readonly store: Store;
  readonly partners: PartnerRegistry;
  /** CONSENTKIT_API_KEY: an admin key from configuration; stored scoped keys work beside it. */
  readonly apiKey: string | undefined;
};

export const deliveriesQuerySchema = z
  .object({
    status: z.enum(DELIVERY_STATUSES, { error: 'status must be pending, delivered or failed' }).optional(),
    partner: z.string().min(1).max(200).optional(),
    limit: z
      .string()
      .regex(/^\d{1,4}$/, 'limit must be a whole number from 1 to 1000')
      .transform(Number)
      .refine((n) => n >= 1 && n <= 1000, 'limit must be a whole number from 1 to 1000')
      .optional(),
  })
  .strict();

export const deliveriesResponseSchema = z
  .object({ deliveries: z.array(partnerDeliverySchema) })
  .meta({ id: 'PartnerDeliveries' });

export const partnersResponseSchema = z
  .object({
    partners: z.array(
      z.object({
        id: z.string(),
        endpoint: z.string(),
        createdAt: z.string(),
        updatedAt: z.string(),
        disabledAt: z.string().nullable(),
        previousSecretUntil: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'Partners' });

/** GET /v1/partners/deliveries as the admin dashboard reads it (a type only). */
export type PartnerDeliveries = z.infer<typeof deliveriesResponseSchema>;

export function createPartnersRoutes(options: PartnersRoutesOptions): Hono {
  const app = new Hono();
  app.use('/v1/partners', requireScope({ store: options.store, adminKey: options.apiKey, scope: 'admin' }));
  app.use('/v1/partners/*', requireScope({ store: options.store, adminKey: options.apiKey, scope: 'admin' }));

  app.get('/v1/partners', async (c) => c.json({ partners: await options.partners.list(options.store) }));

  app.get('/v1/partners/deliveries', async (c) => {
    const query = validate(deliveriesQuerySchema, c.req.query(), 'the query');
    const deliveries = await listDeliveries(options.store, {
      ...(query.status ? { status: query.status } : {}),
      ...(query.partner ? { partner: query.partner } : {}),
      limit: query.limit ?? 100,
    });
    return c.json({ deliveries });
  });

  app.post('/v1/partners/deliveries/:id/retry', async (c) => {
    const id = c.req.param('id');
    if (!isUuid(id.toLowerCase())) {
      throw new HttpError(400, 'the delivery id is a UUID, as listed by GET /v1/partners/deliveries', {
        code: 'invalid-request',
      });
    }
    try {
      const delivery = await options.store.transaction(async (tx) => {
        const updated = await retryDelivery(tx, id.toLowerCase());
        await appendAudit(tx, {
          actor: principalOf(c).actor,
          action: 'partner.delivery-retry',
          target: updated.id,
          ip: clientIp(c),
          detail: { partner: updated.partner },
        });
        return updated;
      });
      return c.json({ delivery });
    } catch (error) {
      if (error instanceof PartnerError) {
        throw new HttpError(error.code === 'unknown-delivery' ? 404 : 409, error.detail, {
          code: error.code === 'unknown-delivery' ? 'not-found' : 'conflict',
        });
      }
      throw error;
    }
  });
  return app;
}
