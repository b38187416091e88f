// ETags on answers and 304 for a GET whose If-None-Match names the answer's tag (RFC 9110 13.1.2),
// as a route's onSend hook: the tag is made from the bytes the serializer wrote. A 304 gives its
// request's rate-limit token back, as GitHub's do: revalidating costs a client nothing.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { entityTag, noneMatch } from '../platform/entity-tags';

declare module 'fastify' {
  interface FastifyRequest {
    /** The version of the key or account answered, for its ETag (entity-tags.ts). */
    entityVersion: string | undefined;
  }
}

export interface ConditionalAnswers {
  /** The status whose body is tagged (the route's success). */
  status: number;
  /** Answers 304 to a matching If-None-Match. */
  revalidates: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** How the route's answers are tagged; none when they are not. */
    conditional?: ConditionalAnswers;
  }
}

/**
 * The onSend hook for every route: tags the answers of the routes whose config says so. One hook for
 * the app, added before any other, so later hooks (the tests' contract recorder) see the 304.
 * `notModified` is called on a 304, to give back what the request cost.
 */
export function conditionalAnswers(notModified: (request: FastifyRequest, reply: FastifyReply) => Promise<void>) {
  return async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const options = request.routeOptions.config.conditional;
    if (!options || reply.statusCode !== options.status || typeof payload !== 'string') return payload;
    const etag = entityTag(payload, request.entityVersion);
    reply.header('etag', etag);
    if (!options.revalidates) return payload;
    // Kept by the client only, and asked again each time: the answer depends on who asks, and changes.
    reply.header('cache-control', 'private, no-cache');
    const ifNoneMatch = request.headers['if-none-match'];
    if (typeof ifNoneMatch !== 'string' || !noneMatch(ifNoneMatch, etag)) return payload;
    reply.code(304);
    await notModified(request, reply);
    return null;
  };
}
