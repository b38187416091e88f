// zod to JSON Schema, the three ways the server needs it: request schemas for the document,
// response schemas for the document (named objects by reference), and self-contained response
// schemas for Fastify's serializer.
import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

// The platform's objects are written once, as zod schemas with an `id` (shared/domain.ts): they
// become the document's components, and every schema that uses them refers to them.
export const componentRef = (id: string): string => `#/components/schemas/${id}`;

function withoutHeader(schema: JsonSchema): JsonSchema {
  const { $schema: _, $defs: __, $id: ___, ...rest } = schema;
  return rest;
}

/**
 * JSON Schema for a request (io: input) or a response (io: output), for the document. Named
 * objects come out as $defs; they are the document's components, so their refs are pointed there.
 */
export function documentSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const id = z.globalRegistry.get(schema)?.id;
  if (id && io === 'output') return { $ref: componentRef(id) };
  const converted = withoutHeader(z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema);
  return JSON.parse(JSON.stringify(converted).replaceAll('"#/$defs/', '"#/components/schemas/')) as JsonSchema;
}

/** Every named object, as the document's components. */
export function namedSchemas(): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(z.globalRegistry, {
    io: 'output',
    uri: componentRef,
    unrepresentable: 'any',
  }) as { schemas: Record<string, JsonSchema> };
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, withoutHeader(schema)]));
}

/**
 * A response schema with every object inlined and no documentation, for Fastify's serializer:
 * it writes only the fields the schema names, so nothing the schema leaves out can leak.
 */
export function serializerSchema(schema: z.ZodType): JsonSchema {
  return withoutHeader(
    z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any', metadata: z.registry() }) as JsonSchema,
  );
}
