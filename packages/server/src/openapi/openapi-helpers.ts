// The OpenAPI document's building blocks (openapi.ts): response and body content whose schemas are
// collected into components.schemas, RFC 9457 problem answers, and query parameters from a zod
// object schema. Every path file (records-openapi.ts, …) describes its operations with these.
import type { z } from 'zod';
import type { JsonSchema, SchemaComponents } from './schema-components.js';

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

export function createOpenApiHelpers(components: SchemaComponents) {
  const json = (schema: z.ZodType) => ({ 'application/json': { schema: components.schema(schema, 'output') } });
  const body = (schema: z.ZodType) => ({
    required: true,
    content: { 'application/json': { schema: components.schema(schema, 'input') } },
  });
  /** Query parameters from a zod object schema (its properties, each with its description). */
  const queryParameters = (schema: z.ZodType) => {
    const described = components.schema(schema, 'input') as {
      properties?: Record<string, JsonSchema & { description?: string }>;
      required?: string[];
    };
    return Object.entries(described.properties ?? {}).map(([name, property]) => ({
      name,
      in: 'query',
      required: described.required?.includes(name) ?? false,
      ...(property.description ? { description: property.description } : {}),
      schema: property,
    }));
  };
  return { json, body, problem, queryParameters };
}

export type OpenApiDocumentHelpers = ReturnType<typeof createOpenApiHelpers>;
