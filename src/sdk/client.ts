// The TypeScript SDK for a Keyhold platform: a typed method per route, typed errors, retries on
// 429 and 5xx with capped exponential backoff and full jitter (honouring Retry-After), timeouts,
// and async iteration over paginated lists.
import type { KeyChanges, ListChangesInput } from '../shared/changes';
import { type Clock, systemClock } from '../shared/clock';
import type { Account, Agent, ApiKey, DailyUsage, KeyEvent, KeyPage } from '../shared/domain';
import { API_KEY_ENV } from '../shared/env-names';
import type {
  KeyAction,
  KeyUse,
  KeyUsePage,
  LastUse,
  ListKeyUseInput,
  ListRequestsInput,
  RequestPage,
  RequestRecord,
  RequestSource,
} from '../shared/request-log';
import type {
  CreateAccountInput,
  CreateAgentInput,
  CreateKeyInput,
  ListKeysInput,
  ListPageInput,
  UpdateAccountInput,
  UpdateKeyInput,
} from '../shared/schemas';
import { DEFAULT_RETRY, type RetryPolicy, retryDelay } from './backoff';
import { errorFromResponse, KeyholdApiError, parseRetryAfter } from './errors';

export interface KeyholdClientOptions {
  baseUrl: string;
  /** Defaults to the ITELLICO_API_KEY environment variable. */
  apiKey?: string;
  /** Per attempt (default 10 s). */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** For tests: the randomness of the jitter, the waiting itself, and the clock (Retry-After dates). */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  clock?: Clock;
}

export type CreatedApiKey = ApiKey & { secret: string };
export type VerifyAnswer =
  | { valid: true; key: { id: string; account_id: string; partial_key: string }; account_id: string }
  | { valid: false; reason: 'invalid' | 'revoked' | 'expired' | 'forbidden' | 'account_inactive' };

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
const IDEMPOTENT = new Set<Method>(['GET', 'PATCH', 'DELETE']);

const segment = (value: string) => encodeURIComponent(value);

function queryString(query: Record<string, unknown> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** A write made only if the resource is still the version read (else 412 `precondition_failed`). */
export interface WriteCondition {
  /** The ETag the resource was read with: `client.etagOf(key)`. */
  ifMatch?: string;
}

/** A page of a list, and where the next one starts (null: none). */
type Paged<T> = { data: T[]; next_cursor: string | null };

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

export class KeyholdClient {
  readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly timeoutMs: number;
  private readonly retryPolicy: RetryPolicy;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly clock: Clock;
  /** Each object answered, with the ETag it came with. */
  private readonly etags = new WeakMap<object, string>();

  constructor(options: KeyholdClientOptions) {
    const apiKey = options.apiKey ?? process.env[API_KEY_ENV];
    if (!apiKey) throw new KeyholdApiError('invalid_request', `apiKey: give one or set ${API_KEY_ENV}`, 0);
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new KeyholdApiError('invalid_request', `baseUrl: "${options.baseUrl}" is not a URL`, 0);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new KeyholdApiError('invalid_request', 'baseUrl: must start with http:// or https://', 0);
    }
    this.baseUrl = url.toString().replace(/\/+$/, '');
    this.apiKey = apiKey;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retryPolicy = { ...DEFAULT_RETRY, ...options.retry };
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.clock = options.clock ?? systemClock;
  }

  readonly accounts = {
    get: (accountId = 'me') => this.request<Account>('GET', `/v1/accounts/${segment(accountId)}`),
    update: (accountId: string, patch: UpdateAccountInput, condition: WriteCondition = {}) =>
      this.request<Account>('PATCH', `/v1/accounts/${segment(accountId)}`, patch, condition),
    /** One page of the direct subaccounts, by name. */
    subaccountsPage: (accountId = 'me', query: ListPageInput = {}) =>
      this.request<Paged<Account>>('GET', `/v1/accounts/${segment(accountId)}/subaccounts${queryString(query)}`),
    /** Every direct subaccount, fetched a page at a time. */
    iterateSubaccounts: (accountId = 'me'): AsyncIterable<Account> =>
      this.pages((cursor) => this.accounts.subaccountsPage(accountId, { limit: 1000, ...cursor })),
    /** Every direct subaccount. */
    subaccounts: (accountId = 'me') => collect(this.accounts.iterateSubaccounts(accountId)),
    createSubaccount: (accountId: string, input: CreateAccountInput) =>
      this.request<Account>('POST', `/v1/accounts/${segment(accountId)}/subaccounts`, input),
    /**
     * One page of the change feed: every key of the account's tree (no `since`), or what changed since
     * the last page's `sync_token`. Follow `next_cursor` to the last page; a 410 (`sync_token_expired`)
     * means start again without `since`.
     */
    changes: (accountId: string, query: ListChangesInput = {}) =>
      this.request<KeyChanges>('GET', `/v1/accounts/${segment(accountId)}/changes${queryString(query)}`),
    /** One page of the use of the account's keys (and its subaccounts'), for the audit. */
    keyUse: (accountId: string, query: ListKeyUseInput) =>
      this.request<KeyUsePage>('GET', `/v1/accounts/${segment(accountId)}/key-use${queryString(query)}`),
    /** The use of every key of the account and its subaccounts that has a source, a page at a time. */
    iterateKeyUse: (accountId: string, query: Omit<ListKeyUseInput, 'cursor'>): AsyncIterable<KeyUse> =>
      this.pages((cursor) => this.accounts.keyUse(accountId, { ...query, ...cursor })),
  };

  readonly apiKeys = {
    list: (accountId = 'me', query: ListKeysInput = {}) =>
      this.request<KeyPage>('GET', `/v1/accounts/${segment(accountId)}/api-keys${queryString(query)}`),
    /** Every key across pages, fetched lazily. */
    iterate: (accountId = 'me', query: Omit<ListKeysInput, 'cursor'> = {}): AsyncIterable<ApiKey> =>
      this.pages((cursor) => this.apiKeys.list(accountId, { ...query, ...cursor })),
    create: (accountId: string, input: CreateKeyInput) =>
      this.request<CreatedApiKey>('POST', `/v1/accounts/${segment(accountId)}/api-keys`, input),
    /** One key, with its last served request (`last_use`: when, from where, which route). */
    get: (accountId: string, keyId: string) =>
      this.request<ApiKey & { last_use: LastUse | null }>('GET', this.keyPath(accountId, keyId)),
    update: (accountId: string, keyId: string, patch: UpdateKeyInput, condition: WriteCondition = {}) =>
      this.request<ApiKey>('PATCH', this.keyPath(accountId, keyId), patch, condition),
    delete: (accountId: string, keyId: string, condition: WriteCondition = {}) =>
      this.request<void>('DELETE', this.keyPath(accountId, keyId), undefined, condition),
    revoke: (accountId: string, keyId: string, condition: WriteCondition = {}) =>
      this.request<ApiKey>('POST', `${this.keyPath(accountId, keyId)}/revoke`, undefined, condition),
    reactivate: (accountId: string, keyId: string, condition: WriteCondition = {}) =>
      this.request<ApiKey>('POST', `${this.keyPath(accountId, keyId)}/reactivate`, undefined, condition),
    usage: async (accountId: string, keyId: string, days = 30) =>
      (await this.request<{ data: DailyUsage[] }>('GET', `${this.keyPath(accountId, keyId)}/usage?days=${days}`)).data,
    /** One page of the key's history, oldest first. */
    eventsPage: (accountId: string, keyId: string, query: ListPageInput = {}) =>
      this.request<Paged<KeyEvent>>('GET', `${this.keyPath(accountId, keyId)}/events${queryString(query)}`),
    iterateEvents: (accountId: string, keyId: string): AsyncIterable<KeyEvent> =>
      this.pages((cursor) => this.apiKeys.eventsPage(accountId, keyId, { limit: 1000, ...cursor })),
    /** The key's whole history. */
    events: (accountId: string, keyId: string) => collect(this.apiKeys.iterateEvents(accountId, keyId)),
    /** One page of the requests that presented the key, newest first. */
    requests: (accountId: string, keyId: string, query: ListRequestsInput = {}) =>
      this.request<RequestPage>('GET', `${this.keyPath(accountId, keyId)}/requests${queryString(query)}`),
    /** Every request that presented the key (matching `query`), newest first, fetched a page at a time. */
    iterateRequests: (
      accountId: string,
      keyId: string,
      query: Omit<ListRequestsInput, 'cursor'> = {},
    ): AsyncIterable<RequestRecord> =>
      this.pages((cursor) => this.apiKeys.requests(accountId, keyId, { ...query, ...cursor })),
    /** What the key did through the API: keys, accounts and agents it changed, newest first. */
    actions: async (accountId: string, keyId: string) =>
      (await this.request<{ data: KeyAction[] }>('GET', `${this.keyPath(accountId, keyId)}/actions`)).data,
    /** Each client (address and user agent) that presented the key. */
    sources: async (accountId: string, keyId: string) =>
      (await this.request<{ data: RequestSource[] }>('GET', `${this.keyPath(accountId, keyId)}/sources`)).data,
  };

  readonly agents = {
    /** One page of the account's agents, oldest first. */
    page: (accountId = 'me', query: ListPageInput = {}) =>
      this.request<Paged<Agent>>('GET', `/v1/accounts/${segment(accountId)}/agents${queryString(query)}`),
    iterate: (accountId = 'me'): AsyncIterable<Agent> =>
      this.pages((cursor) => this.agents.page(accountId, { limit: 1000, ...cursor })),
    /** Every agent of the account. */
    list: (accountId = 'me') => collect(this.agents.iterate(accountId)),
    create: (accountId: string, input: CreateAgentInput) =>
      this.request<Agent>('POST', `/v1/accounts/${segment(accountId)}/agents`, input),
  };

  readonly keys = {
    verify: (key: string, accountId?: string) =>
      this.request<VerifyAnswer>('POST', '/v1/keys/verify', { key, ...(accountId ? { account_id: accountId } : {}) }),
  };

  /**
   * The ETag an object this client returned came with (a key, an account, a page): give it to a
   * write's `ifMatch` so the write fails (412) if someone changed the resource since.
   */
  etagOf(answer: object): string | undefined {
    return this.etags.get(answer);
  }

  /** The platform's identity: the same through every URL and server of it. */
  platform(): Promise<{ id: string }> {
    return this.request('GET', '/v1/platform');
  }

  openApi(): Promise<Record<string, unknown>> {
    return this.request('GET', '/v1/openapi.json');
  }

  private keyPath(accountId: string, keyId: string): string {
    return `/v1/accounts/${segment(accountId)}/api-keys/${segment(keyId)}`;
  }

  /** Every item of a cursor-paged list: `page` fetches one page after `cursor` (none: the first). */
  private async *pages<T>(
    page: (cursor: { cursor?: string }) => Promise<{ data: T[]; next_cursor: string | null }>,
  ): AsyncGenerator<T> {
    let cursor: string | undefined;
    do {
      const next = await page(cursor ? { cursor } : {});
      yield* next.data;
      cursor = next.next_cursor ?? undefined;
    } while (cursor);
  }

  /** One call, retried on 429 (any method) and on 5xx or no answer (idempotent methods only). */
  private async request<T>(method: Method, path: string, body?: unknown, condition: WriteCondition = {}): Promise<T> {
    const started = this.clock.now();
    // Every POST carries a key of its own, the same on each retry: the platform runs it once, so a
    // create whose answer was lost is sent again safely (a second key would have a secret nobody saw).
    const idempotencyKey = method === 'POST' ? globalThis.crypto.randomUUID() : null;
    for (let attempt = 0; ; attempt++) {
      let failure: KeyholdApiError;
      try {
        const response = await fetch(`${this.baseUrl}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${this.apiKey}`,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
            ...(condition.ifMatch ? { 'if-match': condition.ifMatch } : {}),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        if (response.status === 204) return undefined as T;
        const payload = await response.json().catch(() => null);
        if (response.ok) {
          const etag = response.headers.get('etag');
          if (etag && typeof payload === 'object' && payload !== null) this.etags.set(payload, etag);
          return payload as T;
        }
        failure = errorFromResponse(
          response.status,
          payload,
          parseRetryAfter(response.headers.get('retry-after'), this.clock.now()),
          response.headers.get('request-id'),
        );
      } catch (error) {
        // Never echo the request (its headers hold the key): only what went wrong.
        const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
        const reason = timedOut
          ? `no answer within ${this.timeoutMs} ms`
          : ((error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message);
        failure = new KeyholdApiError('unavailable', `Cannot reach the platform at ${this.baseUrl}: ${reason}.`, 0);
      }
      // With its Idempotency-Key a POST may be sent again too; a 409 on that key means its first
      // attempt is still running.
      const safe = IDEMPOTENT.has(method) || idempotencyKey !== null;
      const retryable =
        failure.status === 429 ||
        ((failure.status >= 500 || failure.status === 0) && safe) ||
        (failure.code === 'idempotency_conflict' && idempotencyKey !== null);
      const delay = retryable
        ? retryDelay(this.retryPolicy, attempt, this.clock.now() - started, failure.retryAfter, this.random)
        : null;
      if (delay === null) throw failure;
      await this.sleep(delay);
    }
  }
}
