// The OpenAPI 3.1 document, generated from the route table and the zod schemas of requests,
// queries and responses.
import { z } from 'zod';
import { openApiPath, ROUTES } from './routes';

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' } },
    },
  },
};

// The platform's objects are written once, as zod schemas with an `id` (shared/domain.ts): they
// become the document's components, and every schema that uses them refers to them.
const uri = (id: string) => `#/components/schemas/${id}`;

type JsonSchema = Record<string, unknown>;

/**
 * JSON Schema for a request (io: input) or a response (io: output). Named objects come out as
 * $defs; they are the document's components, so their refs are pointed there instead.
 */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const id = z.globalRegistry.get(schema)?.id;
  if (id && io === 'output') return { $ref: uri(id) };
  const { $schema: _, $defs: __, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return JSON.parse(JSON.stringify(rest).replaceAll('"#/$defs/', '"#/components/schemas/')) as JsonSchema;
}

function components(): JsonSchema {
  const { schemas } = z.toJSONSchema(z.globalRegistry, { io: 'output', uri, unrepresentable: 'any' }) as {
    schemas: Record<string, JsonSchema>;
  };
  const named = Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _, $id: __, ...schema }]) => [id, schema]),
  );
  return {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer sk-…' } },
    schemas: { Error: errorSchema, ...named },
  };
}

/** One query parameter per field of the route's query schema, with its description. */
function queryParameters(query: z.ZodObject | undefined): JsonSchema[] {
  if (!query) return [];
  return Object.entries(query.shape).map(([name, field]) => {
    const { description, ...schema } = jsonSchema(field as z.ZodType, 'input');
    return { name, in: 'query', required: false, ...(description ? { description } : {}), schema };
  });
}

const ERROR_RESPONSES = {
  '400': 'Bad request: the message names the field',
  '401': 'Missing, malformed, unknown, revoked or expired key (WWW-Authenticate: Bearer)',
  '403': 'The key cannot reach this account, or the account is inactive',
  '404': 'Not found in this account',
  '429': 'Rate limited: see Retry-After and RateLimit',
};

export function buildOpenApi(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const path = openApiPath(route.path);
    const pathParams = [...route.path.matchAll(/:([A-Za-z]+)/g)].map(([, name]) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
      description: name === 'accountId' ? 'An account id, or `me` for the calling key’s account' : undefined,
    }));
    const queryParams = queryParameters(route.query);
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      operationId: route.operationId,
      tags: [route.tag],
      summary: route.summary,
      security: [{ bearer: [] }],
      parameters: [...pathParams, ...queryParams],
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: {
                'application/json': { schema: jsonSchema(route.body, 'input') },
              },
            },
          }
        : {}),
      responses: {
        [String(route.status)]: route.response
          ? { description: 'OK', content: { 'application/json': { schema: jsonSchema(route.response, 'output') } } }
          : { description: 'Done; no body' },
        ...Object.fromEntries(
          Object.entries(ERROR_RESPONSES).map(([status, description]) => [
            status,
            { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
          ]),
        ),
      },
    };
  }
  paths['/v1/openapi.json'] = {
    get: {
      operationId: 'getOpenApi',
      tags: ['meta'],
      summary: 'This document.',
      security: [],
      responses: { '200': { description: 'OpenAPI 3.1' } },
    },
  };
  return {
    openapi: '3.1.0',
    info: { title: 'Keyhold key platform', version },
    servers: [{ url: '/' }],
    components: components(),
    paths,
  };
}
