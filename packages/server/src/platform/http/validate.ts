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

/** Reads a JSON body: 415 for another media type, 400 for text that is not JSON. */
export async function readJson(c: Context): Promise<unknown> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (!type.startsWith('application/json')) {
    throw new HttpError(415, 'send the body as application/json', { code: 'unsupported-media-type' });
  }
  const text = await c.req.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'the body is not valid JSON', { code: 'invalid-json' });
  }
}
