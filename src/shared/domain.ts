// The platform's objects as they cross every boundary (IPC, HTTP, SDK, exports): snake_case,
// times as ISO-8601 UTC strings, never a secret.
import { z } from 'zod';
import { PARTIAL_KEY_PATTERN } from './key-format';
import { ACCOUNT_STATUSES, KEY_STATUSES } from './statuses';

export { ACCOUNT_STATUSES, type AccountStatus, KEY_STATUSES, type KeyStatus } from './statuses';

// Each object is written once, as a zod schema: its TypeScript type is inferred from it and the
// HTTP API's OpenAPI document is generated from it (src/server/openapi.ts), its `id` naming the
// document's component.
const time = z.iso.datetime().describe('ISO-8601, UTC');
const nullableTime = time.nullable();

export const accountSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    parent_id: z.string().nullable(),
    status: z.enum(ACCOUNT_STATUSES).describe('An inactive account answers 403 for every key that reaches it'),
    created_at: time,
    updated_at: time,
  })
  .meta({
    id: 'Account',
    examples: [
      {
        id: 'acc_0123456789abcdef',
        name: 'Billing team',
        parent_id: 'acc_fedcba9876543210',
        status: 'active',
        created_at: '2026-11-02T09:30:00.000Z',
        updated_at: '2026-11-02T09:30:00.000Z',
      },
    ],
  });
export type Account = z.infer<typeof accountSchema>;

export const apiKeySchema = z
  .object({
    id: z.string(),
    account_id: z.string(),
    label: z.string(),
    partial_key: z.string().regex(PARTIAL_KEY_PATTERN).describe('`sk-<8 hex>`: the public part of the key'),
    status: z.enum(KEY_STATUSES),
    created_at: time,
    updated_at: time,
    last_used_at: nullableTime,
    expires_at: nullableTime,
    revoked_at: nullableTime,
    deletes_at: nullableTime.describe(
      'When the platform deletes the key by itself (set with PATCH, null cancels); null when none is scheduled',
    ),
  })
  .meta({
    id: 'ApiKey',
    examples: [
      {
        id: 'key_0123456789abcdef',
        account_id: 'acc_0123456789abcdef',
        label: 'CI deploy',
        partial_key: 'sk-1a2b3c4d',
        status: 'active',
        created_at: '2026-11-02T09:30:00.000Z',
        updated_at: '2026-11-02T09:30:00.000Z',
        last_used_at: '2026-11-27T18:04:12.000Z',
        expires_at: '2027-06-30T00:00:00.000Z',
        revoked_at: null,
        deletes_at: null,
      },
    ],
  });
export type ApiKey = z.infer<typeof apiKeySchema>;

/** The create response: the only object that ever carries the full key. */
export interface CreatedKey {
  key: ApiKey;
  secret: string;
}

export const keyPageSchema = z.object({ data: z.array(apiKeySchema), next_cursor: z.string().nullable() });
export type KeyPage = z.infer<typeof keyPageSchema>;

export const KEY_EVENT_TYPES = ['created', 'edited', 'revoked', 'reactivated', 'deleted', 'expired'] as const;
export type KeyEventType = (typeof KEY_EVENT_TYPES)[number];

export interface FieldChange<T> {
  from: T;
  to: T;
}

const change = <T extends z.ZodType>(value: T) => z.object({ from: value, to: value });

export const keyEventSchema = z
  .object({
    id: z.number().int(),
    key_id: z.string(),
    account_id: z.string(),
    key_label: z.string().describe('Kept on the event so the history still reads after the key is deleted'),
    partial_key: z.string(),
    type: z.enum(KEY_EVENT_TYPES),
    at: time,
    actor: z.string().describe('`user:<name>` or `key:sk-<8 hex>`; `system` for expirations and scheduled deletions'),
    changes: z
      .object({
        label: change(z.string()).optional(),
        expires_at: change(z.string().nullable()).optional(),
        deletes_at: change(z.string().nullable()).optional(),
      })
      .nullable(),
  })
  .meta({
    id: 'KeyEvent',
    examples: [
      {
        id: 42,
        key_id: 'key_0123456789abcdef',
        account_id: 'acc_0123456789abcdef',
        key_label: 'CI deploy',
        partial_key: 'sk-1a2b3c4d',
        type: 'edited',
        at: '2026-11-03T10:00:00.000Z',
        actor: 'user:admin',
        changes: { label: { from: 'deploy', to: 'CI deploy' } },
      },
    ],
  });
export type KeyEvent = z.infer<typeof keyEventSchema>;

export const dailyUsageSchema = z
  .object({
    day: z.string().describe('YYYY-MM-DD, UTC'),
    count: z.number().int().describe('Calls served'),
    rate_limited: z.number().int().describe('Calls refused with 429: not counted as use'),
  })
  .meta({ id: 'DailyUsage', examples: [{ day: '2026-11-27', count: 1204, rate_limited: 3 }] });
export type DailyUsage = z.infer<typeof dailyUsageSchema>;

/** Who did something: the local admin, a key (over HTTP), or the platform itself. */
export type Actor = { kind: 'user'; name: string } | { kind: 'key'; partialKey: string } | { kind: 'system' };

export const actorLabel = (actor: Actor): string =>
  actor.kind === 'user' ? `user:${actor.name}` : actor.kind === 'key' ? `key:${actor.partialKey}` : 'system';

export const agentSchema = z
  .object({
    id: z.string(),
    account_id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    created_at: time,
  })
  .meta({
    id: 'Agent',
    examples: [
      {
        id: 'agt_0123456789abcdef',
        account_id: 'acc_0123456789abcdef',
        name: 'deploy-bot',
        description: 'Rotates the CI keys',
        created_at: '2026-11-02T09:30:00.000Z',
      },
    ],
  });
export type Agent = z.infer<typeof agentSchema>;
