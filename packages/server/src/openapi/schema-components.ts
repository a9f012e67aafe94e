import { isDeepStrictEqual } from 'node:util';
import { ConsentError } from '@consentkit/core';
import { z } from 'zod';

export type JsonSchema = { readonly [key: string]: unknown };

export type SchemaComponents = {
  /** The schema as a reference into components.schemas (or inline when it has no id). */
  schema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema;
  /** Every named schema met so far, for components.schemas. */
  readonly schemas: Record<string, JsonSchema>;
};

const COMPONENTS = '#/components/schemas/';

/**
 * zod writes each schema with a `.meta({ id })` as `$defs` referenced by `#/$defs/X`. Embedded in
 * an OpenAPI document those pointers resolve against the document's root, where no `$defs` is:
 * validators refuse them. So the definitions move to components.schemas, each defined once, and
 * the pointers follow.
 */
export function createSchemaComponents(): SchemaComponents {
  const schemas: Record<string, JsonSchema> = {};

  function schema(zodSchema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const {
      $schema: _dialect,
      $defs,
      ...root
    } = rewrite(z.toJSONSchema(zodSchema, { io })) as {
      $schema?: unknown;
      $defs?: Record<string, JsonSchema>;
    } & JsonSchema;
    for (const [name, definition] of Object.entries($defs ?? {})) {
      const known = schemas[name];
      // One name, one shape: an input and an output that differ must carry different ids.
      if (known && !isDeepStrictEqual(known, definition)) {
        throw new ConsentError(
          'internal',
          `OpenAPI: two different schemas carry the id ${name}; give one of them another id`,
        );
      }
      schemas[name] = definition;
    }
    return root;
  }

  return { schema, schemas };
}

/**
 * Pointers to components, and no integer bound at ±(2^53 − 1): zod writes those for z.int() where
 * the schema sets none, and they state nothing a reader of the API needs.
 */
function rewrite(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewrite);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/$defs/')) {
      out[key] = COMPONENTS + value.slice('#/$defs/'.length);
    } else if ((key === 'minimum' || key === 'maximum') && Math.abs(value as number) === Number.MAX_SAFE_INTEGER) {
      // omitted: see above
    } else {
      out[key] = rewrite(value);
    }
  }
  return out;
}
