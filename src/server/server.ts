// The platform over HTTP: Fastify serving the route table with RFC 6750 bearer auth, per-key and
// per-address rate limits, `{ error: { code, message } }` errors and an access log without secrets.
import type { Duplex } from 'node:stream';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { KeyEngine } from '../platform/engine';
import { accountVersion, keyVersion, parseTagList } from '../platform/entity-tags';
import {
  type BucketPolicy,
  type BucketState,
  DEFAULT_RATE_LIMITS,
  type KeyLimiter,
  type RateLimits,
  TokenBuckets,
} from '../platform/rate-limit/token-buckets';
import type { StoreView } from '../platform/store/port';
import type { VerifyFailure } from '../platform/verifier';
import { type Clock, systemClock } from '../shared/clock';
import { type Account, type ApiKey, actorLabel } from '../shared/domain';
import { AppError, type FieldIssue } from '../shared/errors';
import { redactSecrets } from '../shared/redact';
import { describeIssues } from '../shared/validation';
import { keyOutsideHeader, readBearer } from './bearer';
import { conditionalAnswers } from './conditional-answers';
import { ERROR_DOCS, problemOf } from './error-docs';
import { errorBody, STATUS_OF } from './http-errors';
import { serializerSchema } from './json-schemas';
import { buildOpenApi } from './openapi';
import { loggedUserAgent, type PresentedKey, presentedKey, requestIdFor } from './presented-key';
import { rateLimitHeaders } from './rate-limit-headers';
import { errorSchema } from './responses';
import { answersWithETag, type Caller, carriesSecret, ROUTES, type RouteSpec } from './routes';

export { DEFAULT_RATE_LIMITS, type RateLimits };

export interface ServerOptions {
  engine: KeyEngine;
  version?: string;
  rateLimits?: RateLimits;
  /** false only for benchmarks: every request acts as the root account, with no rate limits. */
  authenticate?: boolean;
  log?: (line: string) => void;
  /** The rate limits' clock: real time by default (the engine's clock may be a test's). */
  clock?: Clock;
  /**
   * Where per-key requests are counted (default: this server's memory). Several servers on one
   * PostgreSQL database share theirs, so a key's limit holds whichever server answers.
   */
  keyLimiter?: (policy: BucketPolicy, clock: Clock) => KeyLimiter;
  /**
   * Addresses (IPs or CIDR ranges, comma-separated) of reverse proxies whose X-Forwarded-For is
   * believed: the client address behind them is what the per-address limits and the access log
   * use. Anyone else's X-Forwarded-For is ignored (a client could name any address in it).
   */
  trustProxy?: string;
}

const REALM = 'Bearer realm="keyhold"';
/** The Content-Type Fastify gives a body it serializes, for one serialized ahead. */
const JSON_TEXT = 'application/json; charset=utf-8';
const challenge = (error: string, description?: string) =>
  `${REALM}, error="${error}"${description ? `, error_description="${description}"` : ''}`;

// One response per failure. `malformed` and `unknown` share theirs, so a wrong secret and an
// unknown public id give byte-identical answers.
const AUTH_FAILURES: Record<VerifyFailure, { status: number; code: string; message: string; header: string }> = {
  malformed: {
    status: 401,
    code: 'unauthorized',
    message: 'The API key is invalid.',
    header: challenge('invalid_token'),
  },
  unknown: {
    status: 401,
    code: 'unauthorized',
    message: 'The API key is invalid.',
    header: challenge('invalid_token'),
  },
  revoked: {
    status: 401,
    code: 'unauthorized',
    message: 'The API key has been revoked.',
    header: challenge('invalid_token', 'The API key has been revoked'),
  },
  expired: {
    status: 401,
    code: 'unauthorized',
    message: 'The API key has expired.',
    header: challenge('invalid_token', 'The API key has expired'),
  },
  forbidden: {
    status: 403,
    code: 'forbidden',
    message: 'This API key cannot reach that account.',
    header: challenge('insufficient_scope'),
  },
  account_inactive: {
    status: 403,
    code: 'account_inactive',
    message: 'The account is inactive.',
    header: challenge('insufficient_scope', 'The account is inactive'),
  },
};

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null;
    /** A key the platform knows, presented by this request: what the request log records. */
    presented: PresentedKey | null;
    /** What the caller's rate limit said when it was admitted. */
    allowance: BucketState | null;
  }
}

// Each route's path as a pattern over one path segment per parameter, for the 405 answer.
const ROUTE_PATTERNS = [
  ...ROUTES.map((route) => ({ method: route.method as string, path: route.path })),
  { method: 'GET', path: '/v1/openapi.json' },
  { method: 'GET', path: '/v1/errors' },
].map(({ method, path }) => ({ method, pattern: new RegExp(`^${path.replace(/:[A-Za-z]+/g, '[^/]+')}/?$`) }));

/** The methods a path has, in route order; none for a path no route has. */
function methodsFor(path: string): string[] {
  return [...new Set(ROUTE_PATTERNS.filter(({ pattern }) => pattern.test(path)).map(({ method }) => method))];
}

/** The route's pattern (`/v1/accounts/:accountId`), never the path as sent. */
const routeOf = (request: FastifyRequest) => request.routeOptions?.url ?? '(no route)';

// The platform's own ids (acc_/key_ and 16 hex) and `me`; anything else in a path is not logged.
const LOGGABLE_ID = /^(?:me|(?:acc|key|agt)_[0-9a-f]{16})$/;

function loggedIds(request: FastifyRequest): string {
  const params = (request.params ?? {}) as Record<string, string>;
  return ['accountId', 'keyId']
    .filter((name) => params[name] !== undefined)
    .map((name) => ` ${name}=${LOGGABLE_ID.test(params[name] as string) ? params[name] : '?'}`)
    .join('');
}

const send = (
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
  issues: FieldIssue[] = [],
) => {
  const body = errorBody(code, message, reply.request.id, issues);
  // RFC 9457 for a client that asks for it; the API's own shape otherwise.
  if (reply.request.headers.accept?.includes('application/problem+json')) {
    return reply
      .code(status)
      .headers(headers)
      .type('application/problem+json; charset=utf-8')
      .serializer(JSON.stringify)
      .send(problemOf(body, status));
  }
  return reply.code(status).headers(headers).send(body);
};

/**
 * Node's HTTP parser refuses some requests before Fastify sees them (headers over 16 KiB, a
 * timeout, bytes that are not HTTP): answered in the API's error shape too.
 */
function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'The request headers are over 16 KiB.']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'The request took too long to arrive.']
        : [400, 'Bad Request', 'The request is not valid HTTP.'];
  // No request was made of it: an id of its own, so a report of it can still be told apart.
  const requestId = requestIdFor(undefined);
  const body = JSON.stringify(errorBody('invalid_request', message, requestId));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nRequest-Id: ${requestId}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const { engine } = options;
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const limits = options.rateLimits ?? DEFAULT_RATE_LIMITS;
  const clock = options.clock ?? systemClock;
  const perKey: KeyLimiter = options.keyLimiter?.(limits.perKey, clock) ?? new TokenBuckets(limits.perKey, clock);
  const failedAuth = new TokenBuckets(limits.failedAuthPerAddress, clock);
  const authenticate = options.authenticate ?? true;
  const openApi = buildOpenApi(options.version ?? '0.0.0');
  const rootId = (await engine.ensureRootAccount()).id;

  const app = Fastify({
    logger: false,
    ...(options.trustProxy ? { trustProxy: options.trustProxy } : {}),
    bodyLimit: 64 * 1024,
    routerOptions: { maxParamLength: 100 },
    return503OnClosing: true,
    // Only the documented methods: HEAD would be an operation the document does not list.
    exposeHeadRoutes: false,
    // The router's own refusals (a path segment over 100 characters, a malformed path) in the API's
    // error shape, without echoing the path: Fastify's default puts it in the message.
    frameworkErrors: (error, _request, reply) =>
      error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? send(reply, 414, 'invalid_request', 'A path segment is over 100 characters.')
        : send(reply, 400, 'invalid_request', 'The path is not a valid URL.'),
    clientErrorHandler: answerClientError,
    requestIdHeader: false,
    genReqId: (raw) => requestIdFor(raw.headers['x-request-id']),
  });
  app.decorateRequest('caller', null);
  app.decorateRequest('presented', null);
  app.decorateRequest('allowance', null);
  app.decorateRequest('entityVersion', undefined);
  // Every answer names its request, refusals included, so a client can quote it.
  app.addHook('onRequest', async (request, reply) => {
    reply.header('request-id', request.id);
  });
  // JSON only: a text/plain body is 415, not a string the route would then have to refuse.
  app.removeContentTypeParser('text/plain');

  const tooMany = (reply: FastifyReply, policy: BucketPolicy, state: BucketState) =>
    send(reply, 429, 'rate_limited', `Too many requests; retry in ${state.retryAfterSeconds} s.`, {
      'retry-after': String(state.retryAfterSeconds),
      ...rateLimitHeaders(policy, state),
    });

  /** Authenticates and authorises; answers the request itself and returns null when it may not go on. */
  async function admit(
    route: RouteSpec,
    request: FastifyRequest,
    reply: FastifyReply,
    since: number,
  ): Promise<{ caller: Caller; accountId: string } | null> {
    const params = request.params as Record<string, string>;
    const pathAccount = params.accountId === undefined || params.accountId === 'me' ? null : params.accountId;
    if (!authenticate) {
      const caller: Caller = {
        key: { id: 'key_benchmark', account_id: rootId, partial_key: 'sk-00000000' },
        actor: { kind: 'system' },
      };
      return { caller, accountId: pathAccount ?? rootId };
    }

    const outside = keyOutsideHeader(request.query, request.body, route.path === '/v1/keys/verify' ? 'key' : undefined);
    if (outside) {
      send(
        reply,
        400,
        'invalid_request',
        `Send the API key in the Authorization header only, never in the ${outside}.`,
        {
          'www-authenticate': challenge('invalid_request'),
        },
      );
      return null;
    }
    const address = request.ip;
    const failures = failedAuth.peek(address);
    if (!failures.allowed) {
      tooMany(reply, failedAuth.policy, failures);
      return null;
    }
    const bearer = readBearer(request.headers, request.raw.rawHeaders);
    if (bearer.kind === 'repeated') {
      send(reply, 400, 'invalid_request', 'Send exactly one Authorization header.', {
        'www-authenticate': challenge('invalid_request'),
      });
      return null;
    }
    if (bearer.kind === 'missing') {
      failedAuth.take(address);
      send(reply, 401, 'unauthorized', 'Send an API key: Authorization: Bearer sk-…', { 'www-authenticate': REALM });
      return null;
    }
    const token = bearer.kind === 'token' ? bearer.token : '';
    const decision = await engine.authenticate(token, pathAccount, {
      since,
      inactiveTargetAllowed: route.allowsInactiveTarget === true,
      limiter: perKey,
    });
    request.presented = presentedKey(decision, token, pathAccount, engine.clock.now());
    if (decision.ok || decision.reason === 'rate_limited') {
      request.caller = { key: decision.key, actor: { kind: 'key', partialKey: decision.key.partial_key } };
    }
    if (decision.ok) {
      if (decision.allowance) {
        request.allowance = decision.allowance;
        reply.headers(rateLimitHeaders(perKey.policy, decision.allowance));
      }
      return { caller: request.caller as Caller, accountId: decision.accountId };
    }
    if (decision.reason === 'rate_limited') {
      tooMany(reply, perKey.policy, decision.allowance);
      return null;
    }
    const failure = AUTH_FAILURES[decision.reason];
    if (failure.status === 401) failedAuth.take(address);
    send(reply, failure.status, failure.code, failure.message, { 'www-authenticate': failure.header });
    return null;
  }

  /** A 304 is not counted against the caller's rate limit: its token goes back, and the headers say so. */
  async function notCounted(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const { caller, allowance } = request;
    if (!caller || !allowance) return;
    await perKey.refund(caller.key.id);
    const remaining = Math.min(perKey.policy.capacity, allowance.remaining + 1);
    reply.headers(rateLimitHeaders(perKey.policy, { ...allowance, remaining }));
  }

  app.addHook('onSend', conditionalAnswers(notCounted));

  const errorBodySchema = serializerSchema(errorSchema);
  for (const route of ROUTES) {
    const secret = carriesSecret(route);
    app.route({
      method: route.method,
      url: route.path,
      // Serialized by schema: faster than JSON.stringify, and a field the schema does not name is
      // never written.
      schema: {
        response: {
          ...(route.response ? { [route.status]: serializerSchema(route.response) } : {}),
          '4xx': errorBodySchema,
          '5xx': errorBodySchema,
        },
      },
      ...(answersWithETag(route)
        ? { config: { conditional: { status: route.status, revalidates: route.method === 'GET' } } }
        : {}),
      handler: async (request, reply) => {
        // Whatever this request verifies must reflect every change acknowledged before it began.
        const since = performance.now();
        const admitted = await admit(route, request, reply, since);
        if (!admitted) return reply;
        const ifNoneMatch = route.method === 'GET' ? request.headers['if-none-match'] : undefined;
        if (typeof ifNoneMatch === 'string') parseTagList(ifNoneMatch, 'If-None-Match'); // refused by name before any work
        const ifMatch = route.conditional ? request.headers['if-match'] : undefined;
        const run = (tx?: StoreView) =>
          route.handle({
            engine,
            since,
            caller: admitted.caller,
            accountId: admitted.accountId,
            params: request.params as Record<string, string>,
            query: (request.query ?? {}) as Record<string, unknown>,
            body: request.body ?? {},
            ...(typeof ifMatch === 'string' ? { ifMatch } : {}),
            ...(tx ? { tx } : {}),
          });
        const idempotencyKey = route.method === 'POST' ? request.headers['idempotency-key'] : undefined;
        let status: number = route.status;
        let result: unknown;
        /** The answer's body already serialized: the text its Idempotency-Key keeps, sent as is. */
        let serialized: string | undefined;
        if (typeof idempotencyKey === 'string') {
          const caller = actorLabel(admitted.caller.actor);
          const sameRequest = `${route.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`;
          const answer = await engine.idempotency.perform(
            idempotencyKey,
            caller,
            sameRequest,
            async (tx) => {
              result = await run(tx);
              // By the route's response schema, as Fastify would: the text kept is the text sent.
              const json = route.status === 204 ? 'null' : String(reply.code(route.status).serialize(result));
              return { status: route.status, json };
            },
            route.oneTransaction === true,
          );
          status = answer.status;
          if (answer.replayed) {
            reply.header('idempotent-replayed', 'true');
            result = JSON.parse(answer.json);
          } else serialized = answer.json;
        } else result = await run();
        if (secret) reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
        if (route.entity && status === route.status) {
          request.entityVersion =
            route.entity === 'key' ? keyVersion(result as ApiKey) : accountVersion(result as Account);
        }
        if (status === 204) return reply.code(204).send();
        if (serialized !== undefined) return reply.code(status).type(JSON_TEXT).send(serialized);
        return reply.code(status).send(result);
      },
    });
  }

  const revalidated = { config: { conditional: { status: 200, revalidates: true } } };
  app.get('/v1/openapi.json', revalidated, async () => openApi);
  // What each error code means: where an error's doc_url leads, on every deployment.
  const errorDocs = {
    data: Object.entries(ERROR_DOCS).map(([code, { status, title, help }]) => ({ code, status, title, help })),
  };
  app.get('/v1/errors', revalidated, async () => errorDocs);

  // The path is not echoed: whatever a caller put in it (a key, by mistake) stays out of the answer.
  // A known path asked with another method is 405 with the methods it has (RFC 9110 15.5.6);
  // anything else is 404.
  app.setNotFoundHandler((request, reply) => {
    const allowed = methodsFor(request.url.split('?')[0] ?? '');
    if (allowed.length > 0) {
      return send(reply, 405, 'method_not_allowed', `This path answers ${allowed.join(', ')}.`, {
        allow: allowed.join(', '),
      });
    }
    return send(reply, 404, 'not_found', 'No route for this method and path.');
  });

  app.setErrorHandler((error: unknown, request, reply) => {
    if (error instanceof AppError) {
      const issues = error.issues.map((issue) => ({ param: issue.param, message: redactSecrets(issue.message) }));
      return send(reply, STATUS_OF[error.code], error.code, redactSecrets(error.message), {}, issues);
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      // Fastify's own refusals: bad JSON, wrong content type, body too large.
      const message = (error as { validation?: unknown }).validation
        ? describeIssues(error as never)
        : status === 415
          ? 'send the body as Content-Type: application/json'
          : (error as Error).message;
      const safe = redactSecrets(message);
      return send(reply, status, 'invalid_request', `request: ${safe}`, {}, [{ param: 'request', message: safe }]);
    }
    log(redactSecrets(`error ${request.method} ${routeOf(request)}: ${(error as Error)?.stack ?? String(error)}`));
    return send(reply, 500, 'internal', 'The server failed to handle this request.');
  });

  // The access log never writes the raw URL or its query string (a caller may put a key in
  // either): it names the route pattern, the ids the route parsed when they look like ids, and
  // the key by its public part.
  app.addHook('onResponse', async (request, reply) => {
    const presented = request.presented;
    log(
      `${new Date().toISOString()} ${request.ip} ${request.method} ${routeOf(request)}${loggedIds(request)} ` +
        `${reply.statusCode} ${reply.elapsedTime.toFixed(1)}ms key=${presented?.partialKey ?? '-'} req=${request.id}`,
    );
    if (presented) {
      engine.logRequest({
        at: presented.at,
        keyId: presented.keyId,
        accountId: presented.accountId,
        method: request.method,
        route: routeOf(request),
        status: reply.statusCode,
        outcome: presented.outcome,
        address: request.ip,
        userAgent: loggedUserAgent(request.headers['user-agent']),
        requestId: request.id,
      });
    }
  });

  app.addHook('onClose', async () => engine.flush());
  return app;
}
