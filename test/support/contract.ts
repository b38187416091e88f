// Checks real responses against the OpenAPI document with Ajv: a documented status for the
// operation, the documented content type, every header the document says is always sent, and a
// body that validates against the documented schema. Every test server records its responses through this, so a drift fails the suite.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { buildOpenApi } from '../../src/server/openapi';
import { openApiPath } from '../../src/server/routes';

type Doc = ReturnType<typeof buildOpenApi>;
interface Operation {
  responses: Record<string, { content?: Record<string, unknown>; headers?: Record<string, { required?: boolean }> }>;
}

export interface ObservedResponse {
  method: string;
  /** The route's pattern (`/v1/accounts/:accountId`); null when no route matched. */
  route: string | null;
  status: number;
  contentType: string | null;
  body: string;
  /** Names of the headers sent, lower-case. */
  headers?: string[];
}

const DOC_ID = 'keyhold-openapi';
const pointer = (...parts: string[]) => parts.map((part) => part.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

export class ContractChecker {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly paths: Record<string, Record<string, Operation>>;

  constructor(readonly doc: Doc = buildOpenApi('0.0.0')) {
    addFormats.default(this.ajv);
    // OpenAPI keywords (example, links…) are not JSON Schema: not strict, and the whole document
    // is one resource, so its `#/components/schemas/…` references resolve as they do for a reader.
    this.ajv.addSchema(doc as object, DOC_ID);
    this.paths = doc.paths as Record<string, Record<string, Operation>>;
  }

  /** What is wrong with one response; empty when it matches the document. */
  problems(response: ObservedResponse): string[] {
    const where = `${response.method} ${response.route ?? '(no route)'} ${response.status}`;
    // No route: 404 and 405 (and the router's 400/414) answer in the error shape.
    const path = response.route === null ? null : openApiPath(response.route);
    const operation = path === null ? null : this.paths[path]?.[response.method.toLowerCase()];
    if (path !== null && !operation) return [`${where}: the document has no such operation`];
    // The document covers 5xx with its default response for clients; in a test one is a failure.
    if (response.status >= 500) return [`${where}: a server error`];
    // An error in RFC 9457's form, for a client that asked for it, is checked against that form.
    const mediaType = response.contentType?.startsWith('application/problem+json')
      ? 'application/problem+json'
      : 'application/json';
    const schemaPointer = operation
      ? this.successOrError(operation, path as string, response, mediaType)
      : {
          ref: `${DOC_ID}#/components/schemas/${mediaType === 'application/json' ? 'Error' : 'Problem'}`,
          hasContent: true,
        };
    if (typeof schemaPointer === 'string') return [`${where}: ${schemaPointer}`];
    // The headers the document says are always sent (no route: a 404 or 405 still names its request).
    const required = operation
      ? Object.entries(operation.responses[String(response.status)]?.headers ?? {})
          .filter(([, header]) => header.required)
          .map(([name]) => name)
      : ['Request-Id'];
    const missing = required
      .filter((name) => response.headers !== undefined && !response.headers.includes(name.toLowerCase()))
      .map((name) => `${where}: the ${name} header the document requires is missing`);
    if (missing.length > 0) return missing;
    if (!schemaPointer.hasContent) return response.body === '' ? [] : [`${where}: documented without a body`];
    if (!response.contentType?.startsWith(mediaType)) return [`${where}: content type ${response.contentType}`];
    const validate = this.ajv.getSchema(schemaPointer.ref) ?? this.ajv.compile({ $ref: schemaPointer.ref });
    let body: unknown;
    try {
      body = JSON.parse(response.body);
    } catch {
      return [`${where}: the body is not JSON`];
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map((error) => `${where}: ${error.instancePath || '(body)'} ${error.message}`);
  }

  private successOrError(
    operation: Operation,
    path: string,
    response: ObservedResponse,
    mediaType: string,
  ): string | { ref: string; hasContent: boolean } {
    const key = String(response.status);
    const documented = operation.responses[key];
    if (!documented) return `status not documented (${Object.keys(operation.responses).join(', ')})`;
    if (documented.content !== undefined && !(mediaType in documented.content)) return `no ${mediaType} documented`;
    const ref = `${DOC_ID}#/${pointer('paths', path, response.method.toLowerCase(), 'responses', key, 'content', mediaType, 'schema')}`;
    return { ref, hasContent: documented.content !== undefined };
  }
}

/** Records every response the app sends (after serialization) and checks it. */
export function recordContract(app: FastifyInstance, checker = new ContractChecker()): string[] {
  const violations: string[] = [];
  app.addHook('onSend', async (request, reply, payload) => {
    const observed: ObservedResponse = {
      method: request.method,
      route: request.routeOptions?.url ?? null,
      status: reply.statusCode,
      contentType: (reply.getHeader('content-type') as string | undefined) ?? null,
      headers: Object.keys(reply.getHeaders()).map((name) => name.toLowerCase()),
      body: typeof payload === 'string' ? payload : payload === null || payload === undefined ? '' : String(payload),
    };
    violations.push(...checker.problems(observed));
    return payload;
  });
  return violations;
}
