// The OpenAPI 3.1 document, generated from the route table and the request schemas.
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

const nullableTime = { type: ['string', 'null'], format: 'date-time' };

const components = {
  securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer sk-…' } },
  schemas: {
    Error: errorSchema,
    Account: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        name: { type: 'string' },
        parent_id: { type: ['string', 'null'] },
        status: { type: 'string', enum: ['active', 'inactive'] },
        created_at: { type: 'string', format: 'date-time' },
        updated_at: { type: 'string', format: 'date-time' },
      },
    },
    ApiKey: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        account_id: { type: 'string' },
        label: { type: 'string' },
        partial_key: { type: 'string', pattern: '^sk-[0-9a-f]{8}$' },
        status: { type: 'string', enum: ['active', 'revoked', 'expired'] },
        created_at: { type: 'string', format: 'date-time' },
        updated_at: { type: 'string', format: 'date-time' },
        last_used_at: nullableTime,
        expires_at: nullableTime,
        revoked_at: nullableTime,
      },
    },
  },
};

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
    const queryParams = Object.entries(route.query ?? {}).map(([name, spec]) => ({
      name,
      in: 'query',
      required: false,
      description: spec.description,
      schema: spec.schema,
    }));
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      summary: route.summary,
      security: [{ bearer: [] }],
      parameters: [...pathParams, ...queryParams],
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: {
                'application/json': { schema: z.toJSONSchema(route.body, { io: 'input', unrepresentable: 'any' }) },
              },
            },
          }
        : {}),
      responses: {
        [String(route.status)]: { description: route.response },
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
    get: { summary: 'This document.', security: [], responses: { '200': { description: 'OpenAPI 3.1' } } },
  };
  return {
    openapi: '3.1.0',
    info: { title: 'Keyhold key platform', version },
    servers: [{ url: '/' }],
    components,
    paths,
  };
}
