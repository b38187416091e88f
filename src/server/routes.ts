// The HTTP API as one table: each route's method, path, documentation and handler. The server
// registers it and the OpenAPI document is generated from it, so they cannot drift apart.
import { z } from 'zod';
import type { KeyEngine } from '../platform/engine';
import type { StoreView } from '../platform/store/port';
import type { VerifiedKey } from '../platform/verifier';
import { keyChangesSchema, listChangesSchema } from '../shared/changes';
import {
  type Actor,
  accountSchema,
  agentSchema,
  apiKeySchema,
  dailyUsageSchema,
  keyEventSchema,
  keyPageSchema,
} from '../shared/domain';
import {
  keyActionSchema,
  keyUseSchema,
  type ListKeyUseInput,
  type ListRequestsInput,
  lastUseSchema,
  listKeyUseSchema,
  listRequestsSchema,
  requestRecordSchema,
  requestSourceSchema,
} from '../shared/request-log';
import {
  createAccountSchema,
  createAgentSchema,
  createKeySchema,
  listKeysSchema,
  listPageSchema,
  updateAccountSchema,
  updateKeySchema,
  usageDaysSchema,
} from '../shared/schemas';
import { parseOrThrow } from '../shared/validation';

export interface Caller {
  key: VerifiedKey;
  actor: Actor;
}

export interface RouteContext {
  engine: KeyEngine;
  caller: Caller;
  /** The path's account, `me` resolved; verification already proved the caller reaches it. */
  accountId: string;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  /** When the request began (performance.now()), for verifications it makes. */
  since: number;
  /** The request's If-Match, on the routes that honour it (`conditional`). */
  ifMatch?: string;
  /** An idempotent request's transaction, which a `oneTransaction` route's engine call joins. */
  tx?: StoreView;
}

export interface RouteSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Unique; what a generated client names the call. */
  operationId: string;
  tag: 'accounts' | 'keys' | 'agents' | 'verification' | 'meta';
  path: string;
  summary: string;
  status: 200 | 201 | 204;
  body?: z.ZodType;
  /** The query parameters, documented from the schema the handler parses them with. */
  query?: z.ZodObject;
  /** The success body's schema (null for 204); the OpenAPI document is generated from it. */
  response: z.ZodType | null;
  /** When the operation answers 409, for the document. */
  conflict?: string;
  /** When the operation can answer 410 Gone, and why. */
  gone?: string;
  /** A request body to show in the document. */
  example?: Record<string, unknown>;
  /** Operations that take ids from this one's success body (OpenAPI links), by link name. */
  links?: Record<string, { operationId: string; parameters: Record<string, string> }>;
  /** The target may be inactive (so a parent can switch a subaccount back on). */
  allowsInactiveTarget?: boolean;
  /** The answer is this key or account: its ETag carries the resource's version (entity-tags.ts). */
  entity?: 'key' | 'account';
  /** Honours If-Match: answers 412 when the resource changed since the client read its ETag. */
  conditional?: boolean;
  /**
   * The handler is one engine call that writes in one transaction, and takes `tx` to write in an
   * idempotent request's instead: its claim and answer then commit with it (Idempotency.perform).
   */
  oneTransaction?: boolean;
  handle(context: RouteContext): Promise<unknown>;
}

const ACCOUNT = '/v1/accounts/:accountId';
const KEY = `${ACCOUNT}/api-keys/:keyId`;

const verifyRequestSchema = z.strictObject({
  key: z.string().max(1000, 'must be at most 1000 characters'),
  account_id: z.string().min(1).max(64).optional(),
});

const verifyResponseSchema = z.union([
  z.object({
    valid: z.literal(true),
    key: z.object({ id: z.string(), account_id: z.string(), partial_key: z.string() }),
    account_id: z.string(),
  }),
  z.object({
    valid: z.literal(false),
    reason: z.enum(['invalid', 'revoked', 'expired', 'forbidden', 'account_inactive']),
  }),
]);

const createdKeyResponseSchema = apiKeySchema.extend({
  secret: z.string().describe('The full key, `sk-<id>.<secret>`: shown in this response and never again'),
});

const usageQuerySchema = z.object({ days: usageDaysSchema.default(30).describe('Days back from today (UTC)') });

/** Query strings are text: turn the numeric and boolean ones into what the schemas expect. */
function listQuery(query: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...query };
  if (typeof query.limit === 'string') out.limit = /^\d+$/.test(query.limit) ? Number(query.limit) : query.limit;
  if (query.include_subaccounts === 'true') out.include_subaccounts = true;
  if (query.include_subaccounts === 'false') out.include_subaccounts = false;
  return out;
}

function usageDays(query: Record<string, unknown>): unknown {
  if (query.days === undefined) return 30;
  return typeof query.days === 'string' && /^\d+$/.test(query.days) ? Number(query.days) : query.days;
}

const platformSchema = z
  .object({
    id: z
      .string()
      .describe(
        'The platform’s identity, kept in its database: the same through every URL, server and path to it. ' +
          'Keyhold files a key’s secret in the OS keychain under it and the key’s id',
      ),
  })
  .meta({ id: 'Platform', examples: [{ id: 'plt_3f9a0c1d2b4e5f60' }] });

export const ROUTES: RouteSpec[] = [
  {
    method: 'GET',
    operationId: 'getPlatform',
    tag: 'meta',
    path: '/v1/platform',
    summary: 'Which platform this is: its identity, the same whichever server or URL answers. Any valid key may ask.',
    status: 200,
    response: platformSchema,
    handle: async ({ engine }) => ({ id: await engine.platformId() }),
  },
  {
    method: 'GET',
    operationId: 'getAccount',
    tag: 'accounts',
    path: ACCOUNT,
    summary: 'The account (`me`: the calling key’s own account).',
    status: 200,
    response: accountSchema,
    entity: 'account',
    handle: async ({ engine, accountId }) => engine.getAccount(accountId),
  },
  {
    method: 'PATCH',
    operationId: 'updateAccount',
    tag: 'accounts',
    path: ACCOUNT,
    summary: 'Rename, activate or deactivate an account.',
    status: 200,
    allowsInactiveTarget: true,
    body: updateAccountSchema,
    example: { status: 'inactive' },
    response: accountSchema,
    entity: 'account',
    conditional: true,
    handle: async ({ engine, caller, accountId, body, ifMatch }) =>
      engine.updateAccount(accountId, body, { callerAccountId: caller.key.account_id, actor: caller.actor, ifMatch }),
  },
  {
    method: 'GET',
    operationId: 'listSubaccounts',
    tag: 'accounts',
    path: `${ACCOUNT}/subaccounts`,
    summary: 'The direct subaccounts of an account, by name, a page at a time.',
    status: 200,
    query: listPageSchema,
    response: z.object({ data: z.array(accountSchema), next_cursor: z.string().nullable() }),
    handle: async ({ engine, accountId, query }) => engine.subaccountsPage(accountId, listQuery(query)),
  },
  {
    method: 'POST',
    operationId: 'createSubaccount',
    tag: 'accounts',
    path: `${ACCOUNT}/subaccounts`,
    summary: 'Create a subaccount.',
    status: 201,
    body: createAccountSchema,
    example: { name: 'Billing team' },
    response: accountSchema,
    entity: 'account',
    oneTransaction: true,
    links: { GetAccount: { operationId: 'getAccount', parameters: { accountId: '$response.body#/id' } } },
    handle: async ({ engine, caller, accountId, body, tx }) =>
      engine.createSubaccount(accountId, body, caller.actor, tx),
  },
  {
    method: 'GET',
    operationId: 'listKeys',
    tag: 'keys',
    path: `${ACCOUNT}/api-keys`,
    summary: 'List keys, newest first by default. Never returns a secret.',
    status: 200,
    query: listKeysSchema,
    response: keyPageSchema,
    handle: async ({ engine, accountId, query }) => engine.listKeys(accountId, listQuery(query)),
  },
  {
    method: 'GET',
    operationId: 'listKeyChanges',
    tag: 'keys',
    path: `${ACCOUNT}/changes`,
    summary:
      'What a sync reads: every key of the account and its subaccounts (no `since`), or only the keys created, ' +
      'changed (last use included) or deleted since the `sync_token` of the last sync, in the order the changes ' +
      'were made, as compact columns, up to 5,000 a page. The first page carries the accounts (all, or those ' +
      'changed); the last, the next `sync_token`.',
    status: 200,
    query: listChangesSchema,
    gone: 'The sync token is older than the deletions the platform keeps (or from another database): sync again without `since`',
    response: keyChangesSchema,
    handle: async ({ engine, accountId, query }) => engine.keyChanges(accountId, listQuery(query)),
  },
  {
    method: 'POST',
    operationId: 'createKey',
    tag: 'keys',
    path: `${ACCOUNT}/api-keys`,
    summary: 'Create a key. The response carries the full key in `secret`, the only time it is shown.',
    status: 201,
    conflict: 'No free public key id was found; try again',
    body: createKeySchema,
    example: { label: 'CI deploy', expires_at: '2027-06-30T00:00:00Z' },
    response: createdKeyResponseSchema,
    oneTransaction: true,
    links: Object.fromEntries(
      (['getKey', 'revokeKey', 'getKeyUsage'] as const).map((operationId) => [
        operationId.replace(/^./, (first) => first.toUpperCase()),
        { operationId, parameters: { accountId: '$response.body#/account_id', keyId: '$response.body#/id' } },
      ]),
    ),
    handle: async ({ engine, caller, accountId, body, tx }) => {
      const { key, secret } = await engine.createKey(accountId, body, caller.actor, tx);
      return { ...key, secret };
    },
  },
  {
    method: 'GET',
    operationId: 'getKey',
    tag: 'keys',
    path: KEY,
    summary: 'One key, with its last served request: when, from which address and user agent, and which route.',
    status: 200,
    response: apiKeySchema
      .extend({
        last_use: lastUseSchema.nullable().describe('Null when the request log holds no served request of the key'),
      })
      .meta({ id: 'ApiKeyWithLastUse' }),
    entity: 'key',
    handle: async ({ engine, accountId, params }) => engine.getKeyWithLastUse(accountId, params.keyId as string),
  },
  {
    method: 'PATCH',
    operationId: 'updateKey',
    tag: 'keys',
    path: KEY,
    summary: 'Edit the label or the expiration (null clears it). The key and its account cannot change.',
    status: 200,
    body: updateKeySchema,
    example: { label: 'CI deploy (old)', expires_at: null },
    response: apiKeySchema,
    entity: 'key',
    conditional: true,
    handle: async ({ engine, caller, accountId, params, body, ifMatch }) =>
      engine.updateKey(accountId, params.keyId as string, body, caller.actor, ifMatch),
  },
  {
    method: 'DELETE',
    operationId: 'deleteKey',
    tag: 'keys',
    path: KEY,
    summary: 'Delete a key for good. It stops working at once; its events stay.',
    status: 204,
    response: null,
    conditional: true,
    handle: async ({ engine, caller, accountId, params, ifMatch }) => {
      await engine.deleteKey(accountId, params.keyId as string, caller.actor, ifMatch);
      return null;
    },
  },
  {
    method: 'POST',
    operationId: 'revokeKey',
    tag: 'keys',
    path: `${KEY}/revoke`,
    summary: 'Revoke a key: it stops working and can be reactivated.',
    status: 200,
    conflict: 'The key is already revoked',
    response: apiKeySchema,
    entity: 'key',
    conditional: true,
    handle: async ({ engine, caller, accountId, params, ifMatch }) =>
      engine.revokeKey(accountId, params.keyId as string, caller.actor, ifMatch),
  },
  {
    method: 'POST',
    operationId: 'reactivateKey',
    tag: 'keys',
    path: `${KEY}/reactivate`,
    summary: 'Reactivate a revoked key.',
    status: 200,
    conflict: 'The key is not revoked',
    response: apiKeySchema,
    entity: 'key',
    conditional: true,
    handle: async ({ engine, caller, accountId, params, ifMatch }) =>
      engine.reactivateKey(accountId, params.keyId as string, caller.actor, ifMatch),
  },
  {
    method: 'GET',
    operationId: 'getKeyUsage',
    tag: 'keys',
    path: `${KEY}/usage`,
    summary: 'Calls per UTC day over the last `days` days (default 30).',
    status: 200,
    query: usageQuerySchema,
    response: z.object({ data: z.array(dailyUsageSchema) }),
    handle: async ({ engine, accountId, params, query }) => ({
      data: await engine.keyUsage(accountId, params.keyId as string, usageDays(query) as number),
    }),
  },
  {
    method: 'GET',
    operationId: 'listKeyEvents',
    tag: 'keys',
    path: `${KEY}/events`,
    summary:
      'The key’s history, oldest first, a page at a time: created, edited, revoked, reactivated, expired, deleted.',
    status: 200,
    query: listPageSchema,
    response: z.object({ data: z.array(keyEventSchema), next_cursor: z.string().nullable() }),
    handle: async ({ engine, accountId, params, query }) =>
      engine.keyEventsPage(accountId, params.keyId as string, listQuery(query)),
  },
  {
    method: 'GET',
    operationId: 'listKeyRequests',
    tag: 'keys',
    path: `${KEY}/requests`,
    summary:
      'The requests that presented this key, valid or not, newest first: when, from where, which route, and how ' +
      'the platform answered. Kept for the server’s retention (`--request-log-days`, default 90).',
    status: 200,
    query: listRequestsSchema,
    response: z.object({ data: z.array(requestRecordSchema), next_cursor: z.string().nullable() }),
    handle: async ({ engine, accountId, params, query }) =>
      engine.keyRequests(accountId, params.keyId as string, listQuery(query) as ListRequestsInput),
  },
  {
    method: 'GET',
    operationId: 'listKeySources',
    tag: 'keys',
    path: `${KEY}/sources`,
    summary:
      'Each distinct client (address and user agent) that presented this key: first and last seen, how many ' +
      'requests, and every outcome it had. Kept after its requests are pruned.',
    status: 200,
    response: z.object({ data: z.array(requestSourceSchema) }),
    handle: async ({ engine, accountId, params }) => ({
      data: await engine.keySources(accountId, params.keyId as string),
    }),
  },
  {
    method: 'GET',
    operationId: 'listKeyActions',
    tag: 'keys',
    path: `${KEY}/actions`,
    summary:
      'What this key did through the API, newest first: the keys it created, edited, revoked, reactivated or ' +
      'deleted, and the subaccounts and agents it created or changed (at most 1,000).',
    status: 200,
    response: z.object({ data: z.array(keyActionSchema) }),
    handle: async ({ engine, accountId, params }) => ({
      data: await engine.keyActions(accountId, params.keyId as string),
    }),
  },
  {
    method: 'GET',
    operationId: 'listKeyUse',
    tag: 'keys',
    path: `${ACCOUNT}/key-use`,
    summary:
      'What the audit’s activity rules read of every key of the account and its subaccounts that has a logged ' +
      'source: when its first and newest sources were first seen, its sources since `since`, and its requests ' +
      'since then refused because it was revoked or expired. In key id order, a page at a time.',
    status: 200,
    query: listKeyUseSchema,
    response: z.object({ data: z.array(keyUseSchema), next_cursor: z.string().nullable() }),
    handle: async ({ engine, accountId, query }) => engine.keyUse(accountId, listQuery(query) as ListKeyUseInput),
  },
  {
    method: 'GET',
    operationId: 'listAgents',
    tag: 'agents',
    path: `${ACCOUNT}/agents`,
    summary: 'The account’s agents, oldest first, a page at a time.',
    status: 200,
    query: listPageSchema,
    response: z.object({ data: z.array(agentSchema), next_cursor: z.string().nullable() }),
    handle: async ({ engine, accountId, query }) => engine.agentsPage(accountId, listQuery(query)),
  },
  {
    method: 'POST',
    operationId: 'createAgent',
    tag: 'agents',
    path: `${ACCOUNT}/agents`,
    summary: 'Create an agent.',
    status: 201,
    body: createAgentSchema,
    example: { name: 'deploy-bot', description: 'Rotates the CI keys' },
    response: agentSchema,
    oneTransaction: true,
    handle: async ({ engine, caller, accountId, body, tx }) => engine.createAgent(accountId, body, caller.actor, tx),
  },
  {
    method: 'POST',
    operationId: 'verifyKey',
    tag: 'verification',
    path: '/v1/keys/verify',
    summary:
      'For services that use the platform as their key authority: is this key valid for this account (default: its own)? ' +
      'The caller authenticates with its own key.',
    status: 200,
    body: verifyRequestSchema,
    example: { key: 'sk-1a2b3c4d.…', account_id: 'acc_0123456789abcdef' },
    response: verifyResponseSchema,
    handle: async ({ engine, body, since }) => {
      const request = parseOrThrow(verifyRequestSchema, body);
      const result = await engine.verify(request.key, request.account_id ?? null, { since });
      if (result.ok) return { valid: true, key: result.key, account_id: result.account_id };
      // Like the 401s: whoever lacks the real secret learns only "invalid".
      const reason = result.reason === 'malformed' || result.reason === 'unknown' ? 'invalid' : result.reason;
      return { valid: false, reason };
    },
  },
];

/** A response with a secret in it (a key's creation): stored by no cache on the way (RFC 9111 5.2.2.5). */
export const carriesSecret = (route: RouteSpec): boolean =>
  route.response instanceof z.ZodObject && 'secret' in route.response.shape;

/** Every GET's answer has an ETag, and so has a write's that answers a key or an account. */
export const answersWithETag = (route: RouteSpec): boolean =>
  route.response !== null && !carriesSecret(route) && (route.method === 'GET' || route.entity !== undefined);

/** Fastify's `:param` to OpenAPI's `{param}`. */
export const openApiPath = (path: string): string => path.replace(/:([A-Za-z]+)/g, '{$1}');
