// The OpenAPI 3.1 document, generated from the route table, the error table and the zod schemas of
// requests, queries and responses: what the server validates and serializes with is what it says.
import type { z } from 'zod';
import { idSchema } from '../shared/schemas';
import { componentRef, documentSchema, type JsonSchema, namedSchemas } from './json-schemas';
import {
  ETAG_HEADER,
  errorDocsSchema,
  errorResponsesOf,
  NO_STORE_HEADERS,
  REPLAYED_HEADER,
  REQUEST_ID_HEADER,
  REVALIDATION_HEADERS,
  type ResponseHeader,
  SENT_RATE_LIMIT_HEADERS,
} from './responses';
import { answersWithETag, carriesSecret, openApiPath, ROUTES, type RouteSpec } from './routes';

const PATH_PARAMETER_DESCRIPTIONS: Record<string, string> = {
  accountId: 'An account id, or `me` for the calling key’s account',
  keyId: 'A key id (`key_…`)',
};

function pathParameters(route: RouteSpec): JsonSchema[] {
  return [...route.path.matchAll(/:([A-Za-z]+)/g)].map(([, name = '']) => ({
    name,
    in: 'path',
    required: true,
    description: PATH_PARAMETER_DESCRIPTIONS[name],
    schema: documentSchema(idSchema, 'input'),
  }));
}

/** One query parameter per field of the route's query schema, with its description. */
function queryParameters(query: z.ZodObject | undefined): JsonSchema[] {
  if (!query) return [];
  return Object.entries(query.shape).map(([name, field]) => {
    const { description, ...schema } = documentSchema(field as z.ZodType, 'input');
    return { name, in: 'query', required: false, ...(description ? { description } : {}), schema };
  });
}

const headersObject = (headers: Record<string, ResponseHeader>) =>
  Object.fromEntries(
    Object.entries(headers).map(([name, { description, example, required }]) => [
      name,
      { description, ...(required ? { required: true } : {}), schema: { type: 'string' }, example },
    ]),
  );

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });

/** An error's body: the API's shape, or RFC 9457's for a client that asks `Accept: application/problem+json`. */
const errorContent = () => ({
  ...json({ $ref: componentRef('Error') }),
  'application/problem+json': { schema: { $ref: componentRef('Problem') } },
});

/** A 5xx: the server failed; the body says no more than that, and names the request. */
const SERVER_ERROR = {
  description: 'The server failed to handle the request (5xx)',
  headers: headersObject(REQUEST_ID_HEADER),
  content: errorContent(),
};

/** On every POST: sent again with the same key, the request runs once and gets the first answer. */
const IDEMPOTENCY_KEY_PARAMETER = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Any unique string (a UUID): the request runs once, and the same key sent again within 24 hours gets the ' +
    'first answer (`Idempotent-Replayed: true`). The same key with another request answers 422; from another ' +
    'caller, or while the first still runs, 409',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
};

/** On every GET: answered 304 when the answer's ETag is one of these. */
const IF_NONE_MATCH_PARAMETER = {
  name: 'If-None-Match',
  in: 'header',
  required: false,
  description:
    'The ETag of an answer you hold (or several, comma-separated): 304 with no body when the answer would be ' +
    'the same. A 304 does not count against the rate limit',
  schema: { type: 'string', maxLength: 4096 },
};

/** On the writes that honour it: the write is made only if the resource is still the version read. */
const IF_MATCH_PARAMETER = {
  name: 'If-Match',
  in: 'header',
  required: false,
  description:
    'The ETag the resource was read with (or `*`): 412 if it changed since, so two admins editing one key ' +
    'cannot overwrite each other. Compares what an edit changes (a key’s use does not count); weak tags never match',
  schema: { type: 'string', maxLength: 4096 },
};

/** The answer to a GET whose If-None-Match names its ETag. */
const NOT_MODIFIED = {
  description: 'Not modified: the answer you hold (its ETag) is still the answer; no body',
  headers: headersObject({ ...REQUEST_ID_HEADER, ...REVALIDATION_HEADERS, ...SENT_RATE_LIMIT_HEADERS }),
};

function successResponse(route: RouteSpec): JsonSchema {
  const description = route.status === 201 ? 'Created' : route.status === 204 ? 'Done; no body' : 'OK';
  const secret = carriesSecret(route);
  const tagged = answersWithETag(route);
  return {
    description,
    headers: headersObject({
      ...REQUEST_ID_HEADER,
      ...SENT_RATE_LIMIT_HEADERS,
      ...(secret ? NO_STORE_HEADERS : {}),
      ...(tagged ? (route.method === 'GET' ? REVALIDATION_HEADERS : ETAG_HEADER) : {}),
      ...(route.method === 'POST' ? REPLAYED_HEADER : {}),
    }),
    ...(route.response ? { content: json(documentSchema(route.response, 'output')) } : {}),
    ...(route.links ? { links: route.links } : {}),
  };
}

function operation(route: RouteSpec): JsonSchema {
  return {
    operationId: route.operationId,
    tags: [route.tag],
    summary: route.summary,
    security: [{ bearer: [] }],
    parameters: [
      ...pathParameters(route),
      ...queryParameters(route.query),
      ...(route.method === 'POST' ? [IDEMPOTENCY_KEY_PARAMETER] : []),
      ...(route.method === 'GET' ? [IF_NONE_MATCH_PARAMETER] : []),
      ...(route.conditional ? [IF_MATCH_PARAMETER] : []),
    ],
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: documentSchema(route.body, 'input'),
                ...(route.example ? { example: route.example } : {}),
              },
            },
          },
        }
      : {}),
    responses: {
      [String(route.status)]: successResponse(route),
      ...(route.method === 'GET' ? { '304': NOT_MODIFIED } : {}),
      ...Object.fromEntries(
        errorResponsesOf(route).map(({ status, description, headers }) => [
          String(status),
          {
            description,
            ...(headers ? { headers: headersObject(headers) } : {}),
            content: errorContent(),
          },
        ]),
      ),
      default: SERVER_ERROR,
    },
  };
}

const TAGS = [
  { name: 'accounts', description: 'An account and its subaccounts' },
  { name: 'keys', description: 'API keys: create, list, edit, revoke, reactivate, delete; usage and history' },
  { name: 'agents', description: 'The automated actors of an account' },
  { name: 'verification', description: 'For services that use the platform to check their callers’ keys' },
  { name: 'meta', description: 'About the API itself' },
];

export function buildOpenApi(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const path = openApiPath(route.path);
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = operation(route);
  }
  paths['/v1/openapi.json'] = {
    get: {
      operationId: 'getOpenApi',
      tags: ['meta'],
      summary: 'This document.',
      security: [],
      parameters: [IF_NONE_MATCH_PARAMETER],
      responses: {
        '200': {
          description: 'OpenAPI 3.1',
          headers: headersObject({ ...REQUEST_ID_HEADER, ...REVALIDATION_HEADERS }),
          content: json({
            type: 'object',
            required: ['openapi', 'info', 'paths'],
            properties: { openapi: { type: 'string' }, info: { type: 'object' }, paths: { type: 'object' } },
          }),
        },
        '304': { description: NOT_MODIFIED.description, headers: headersObject(REVALIDATION_HEADERS) },
        '400': { description: 'Bad request', content: json({ $ref: componentRef('Error') }) },
      },
    },
  };
  paths['/v1/errors'] = {
    get: {
      operationId: 'listErrorCodes',
      tags: ['meta'],
      summary: 'What each error code means and what to do about it: where an error’s `doc_url` leads.',
      security: [],
      parameters: [IF_NONE_MATCH_PARAMETER],
      responses: {
        '200': {
          description: 'Every error code',
          headers: headersObject({ ...REQUEST_ID_HEADER, ...REVALIDATION_HEADERS }),
          content: json(documentSchema(errorDocsSchema, 'output')),
        },
        '304': { description: NOT_MODIFIED.description, headers: headersObject(REVALIDATION_HEADERS) },
        '400': { description: 'Bad request', headers: headersObject(REQUEST_ID_HEADER), content: errorContent() },
      },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Keyhold key platform',
      version,
      description:
        'Accounts, subaccounts and their API keys. Every request but this document authenticates with ' +
        '`Authorization: Bearer sk-<id>.<secret>`; errors are `{ "error": { "code", "message", "param"?, ' +
        '"errors"?, "request_id", "doc_url" } }`, or RFC 9457 problems with `Accept: application/problem+json`.',
      // package.json says UNLICENSED: no licence is granted. SPDX spells that as a LicenseRef.
      license: { name: 'Proprietary: all rights reserved', identifier: 'LicenseRef-Keyhold-Proprietary' },
    },
    servers: [{ url: '/', description: 'The server that serves this document' }],
    tags: TAGS,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer sk-<id>.<secret>' },
      },
      schemas: namedSchemas(),
    },
    paths,
  };
}
