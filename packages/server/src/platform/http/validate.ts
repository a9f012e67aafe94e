import type { Context } from 'hono';
import type { z } from 'zod';
import { HttpError } from './errors.js';

/** Validates `value` with a zod schema; a mismatch is a 400 carrying zod's issues. */
export function validate<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({
    path: i.path.filter((p): p is string | number => typeof p !== 'symbol'),
    message: i.message,
  }));
  throw new HttpError(400, `${what} is invalid`, { code: 'invalid-request', issues });
}

/** The media types a JSON endpoint can take its body as. */
export type JsonMediaType = 'application/json' | 'text/plain';

/**
 * The media type of a Content-Type value, matched exactly (never by prefix, so `application/jsonx`
 * is not JSON): `application/json` with any parameters (JSON is UTF-8 whatever they say), and,
 * where an endpoint takes it, `text/plain` with no charset or `charset=utf-8`. Undefined otherwise.
 */
export function jsonMediaTypeOf(
  header: string | undefined,
  accepted: readonly JsonMediaType[],
): JsonMediaType | undefined {
  const [essence = '', ...params] = (header ?? '').split(';').map((part) => part.trim().toLowerCase());
  if (essence === 'application/json' && accepted.includes('application/json')) return 'application/json';
  if (essence !== 'text/plain' || !accepted.includes('text/plain')) return undefined;
  const charsetOk = params.every((p) => !p.startsWith('charset=') || p.replaceAll('"', '') === 'charset=utf-8');
  return charsetOk ? 'text/plain' : undefined;
}

/**
 * Reads a JSON body: 415 for another media type, 400 for text that is not JSON. `accept` widens
 * what the endpoint takes beyond `application/json` (POST /v1/records takes the SDK's `text/plain`
 * beacons: a CORS-safelisted type, so the browser sends them without a preflight).
 */
export async function readJson(c: Context, accept: readonly JsonMediaType[] = ['application/json']): Promise<unknown> {
  const header = c.req.header('content-type');
  if (!jsonMediaTypeOf(header, accept)) {
    // The received type is echoed only when it is a plain token, so the answer never carries odd bytes.
    const essence = (header ?? '').split(';')[0]?.trim() ?? '';
    const got =
      header === undefined ? ' (got no Content-Type)' : /^[\w.+/-]{1,80}$/.test(essence) ? ` (got ${essence})` : '';
    throw new HttpError(415, `send the body as ${accept.join(' or ')}${got}`, { code: 'unsupported-media-type' });
  }
  const text = await c.req.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'the body is not valid JSON', { code: 'invalid-json' });
  }
}
