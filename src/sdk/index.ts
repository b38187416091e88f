// What a TypeScript program imports to use a Keyhold platform over HTTP: the client, its errors
// and retry policy, the platform's object types, and the KeyPlatform implementation the app uses.

export type { Account, Agent, ApiKey, DailyUsage, KeyEvent, KeyPage } from '../shared/domain';
export { API_KEY_ENV } from '../shared/env-names';
export type { KeyPlatform } from '../shared/key-platform';
export type {
  KeyAction,
  LastUse,
  ListRequestsInput,
  RequestOutcome,
  RequestRecord,
  RequestSource,
} from '../shared/request-log';
export type { RetryPolicy } from './backoff';
export { DEFAULT_RETRY } from './backoff';
export type { CreatedApiKey, KeyholdClientOptions, VerifyAnswer, WriteCondition } from './client';
export { KeyholdClient } from './client';
export { KeyholdApiError } from './errors';
export { RemotePlatform } from './remote-platform';
