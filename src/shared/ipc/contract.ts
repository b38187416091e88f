// The IPC contract: every channel the renderer may call, with its request schema and response
// type, and every event main may send. The names are those of names.ts, exactly (checked by
// `satisfies`); the router iterates `channels`, the preload and the test harness names.ts.
import { z } from 'zod';
import { type AppInfo, PAGES } from '../app-info';
import { type Environment, RULES } from '../audit';
import { auditPolicySchema, environmentSchema } from '../audit/schemas';
import { ACCOUNT_STATUSES, type Account, type ApiKey, KEY_STATUSES } from '../domain';
import { REQUEST_OUTCOMES, type RequestPage } from '../request-log';
import type { ScanDone, ScanProgress } from '../scan/findings';
import { accountNameSchema, createKeySchema, idSchema, instantSchema, labelSchema } from '../schemas';
import {
  ENV_VARIABLE,
  type EnvWrite,
  INCIDENT_STEPS,
  ROTATION_STEPS,
  WORKFLOW_KINDS,
  type Workflow,
} from '../workflows';
import type { Channel, EventName } from './names';
import {
  COLUMN_WIDTH_LIMITS,
  type ConnectionInfo,
  type ConnectionList,
  type CreateKeyResult,
  HIDEABLE_COLUMNS,
  type IncidentReview,
  type InventoryHead,
  type InventoryKeys,
  type InventoryKeyUse,
  type InventorySync,
  type KeyDetails,
  type PolicyState,
  RESIZABLE_COLUMNS,
  type SyncProgress,
} from './window-data';

interface ChannelSpec<Req extends z.ZodType, Res> {
  request: Req;
  /** Type-only marker; never read at run time. */
  response?: Res;
}

const workflowRef = z.strictObject({ id: idSchema });

/** `channel<Response>()(requestSchema)`: fixes the response type, infers the request type. */
const channel =
  <Res>() =>
  <Req extends z.ZodType>(request: Req): ChannelSpec<Req, Res> => ({ request });

const event = <Payload>(): { payload?: Payload } => ({});

const empty = z.object({}).strict();
const keyRef = { account_id: idSchema, key_id: idSchema };

const savedViewSchema = z.strictObject({
  page: z.enum(PAGES),
  account_id: idSchema.nullable(),
  include_subaccounts: z.boolean(),
  status: z.enum(KEY_STATUSES).nullable(),
  flag: z.enum(RULES).nullable(),
  search: z.string().max(200),
  sort: z.strictObject({
    column: z.enum(['label', 'partial_key', 'status', 'account', 'created_at', 'last_used_at', 'expires_at']),
    direction: z.enum(['asc', 'desc']),
  }),
  columns: z
    .strictObject({
      hidden: z.array(z.enum(HIDEABLE_COLUMNS)).max(HIDEABLE_COLUMNS.length),
      widths: z.partialRecord(
        z.enum(RESIZABLE_COLUMNS),
        z.number().int().min(COLUMN_WIDTH_LIMITS.min).max(COLUMN_WIDTH_LIMITS.max),
      ),
    })
    .optional(),
});

const remoteSchema = z.strictObject({
  base_url: z.url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' }).max(500),
  api_key: z.string().trim().min(1, 'must not be empty').max(200),
});

export const contract = {
  'app:info': channel<AppInfo>()(empty),

  'connections:list': channel<ConnectionList>()(empty),
  /** Tries a base URL and key without saving anything. */
  'connections:test': channel<{ account_name: string; account_id: string }>()(remoteSchema),
  /** Tests, then saves: the key goes to the OS keychain, the rest to the app's database. */
  'connections:add': channel<ConnectionInfo>()(remoteSchema.extend({ name: labelSchema })),
  'connections:switch': channel<ConnectionList>()(z.strictObject({ id: idSchema })),
  'connections:remove': channel<ConnectionList>()(z.strictObject({ id: idSchema })),
  'connections:saveView': channel<{ saved: true }>()(z.strictObject({ id: idSchema, view: savedViewSchema })),

  /** Opens a Keyhold inventory export (JSON or CSV) as a read-only connection and switches to it. */
  'connections:import': channel<ConnectionInfo>()(
    z.strictObject({
      file_name: z.string().trim().min(1, 'must not be empty').max(255),
      content: z
        .string()
        .min(1, 'the file is empty')
        .max(256 * 1024 * 1024, 'the file is larger than 256 MB'),
    }),
  ),

  /** The active connection's inventory: accounts and the first keys, enough for the first screen. */
  'inventory:load': channel<InventoryHead>()(empty),
  /** Every key of the active connection at once; the window asks for it with `inventory:load`. */
  'inventory:keys': channel<InventoryKeys>()(empty),
  /** The request log's account of the active connection's keys (live, or a remote's last sync). */
  'inventory:use': channel<InventoryKeyUse>()(empty),
  /** Remote: what changed on the platform (everything, the first time) into the local cache, with progress events. */
  'inventory:sync': channel<InventorySync>()(empty),

  /** A subaccount under `parent_id`, on the active platform. */
  'accounts:create': channel<Account>()(z.strictObject({ parent_id: idSchema, name: accountNameSchema })),
  /** Rename, deactivate (its keys then answer 403, their status unchanged) or activate. */
  'accounts:update': channel<Account>()(
    z
      .strictObject({
        account_id: idSchema,
        name: accountNameSchema.optional(),
        status: z.enum(ACCOUNT_STATUSES).optional(),
      })
      .refine((patch) => patch.name !== undefined || patch.status !== undefined, { message: 'give name or status' }),
  ),
  'workflows:list': channel<{ workflows: Workflow[]; env_var: string }>()(empty),
  /** A rotation or incident for a key of the active connection (an open one for the key is resumed). */
  'workflows:start': channel<Workflow>()(
    z.strictObject({
      kind: z.enum(WORKFLOW_KINDS),
      account_id: idSchema,
      key_id: idSchema,
      exposed_at: instantSchema.nullable().default(null),
    }),
  ),
  'workflows:replace': channel<{ workflow: Workflow; created: CreateKeyResult }>()(
    createKeySchema.extend({ id: idSchema, expires_at: instantSchema.nullable() }),
  ),
  'workflows:revokeOld': channel<Workflow>()(workflowRef),
  'workflows:schedule': channel<Workflow>()(workflowRef),
  'workflows:advance': channel<Workflow>()(
    z.strictObject({ id: idSchema, step: z.enum([...ROTATION_STEPS, ...INCIDENT_STEPS]) }),
  ),
  'workflows:cancel': channel<Workflow>()(workflowRef),
  'workflows:update': channel<Workflow>()(
    z.strictObject({
      id: idSchema,
      exposed_at: instantSchema.nullable().optional(),
      notes: z
        .strictObject({ how: z.string().max(5000).optional(), prevention: z.string().max(5000).optional() })
        .optional(),
      checklist: z.array(z.boolean()).max(20).optional(),
    }),
  ),
  /** The variable name for NAME=value copies and .env files, remembered per connection. */
  'workflows:setEnvVar': channel<{ env_var: string }>()(
    z.strictObject({
      name: z.string().max(100).regex(ENV_VARIABLE, 'must be a variable name such as ITELLICO_API_KEY'),
    }),
  ),
  'workflows:copy': channel<{ clears_in_seconds: number }>()(
    z.strictObject({ id: idSchema, format: z.enum(['plain', 'env']) }),
  ),
  'workflows:writeEnv': channel<{ workflow: Workflow; written: EnvWrite }>()(
    z.strictObject({
      id: idSchema,
      path: z.string().trim().min(1, 'must not be empty').max(4096),
      /** The admin confirmed a file whose name is not an env file's. */
      confirm_name: z.boolean().optional(),
    }),
  ),
  'workflows:probe': channel<Workflow>()(workflowRef),
  'workflows:review': channel<IncidentReview>()(workflowRef),
  /** A page of the incident key's requests, newest first, filtered on the platform. */
  'workflows:requests': channel<RequestPage>()(
    z.strictObject({
      id: idSchema,
      source: z.string().max(32).optional(),
      outcome: z.enum(REQUEST_OUTCOMES).optional(),
      since: instantSchema.optional(),
      cursor: z.string().max(100).optional(),
    }),
  ),
  'workflows:summary': channel<{ markdown: string }>()(workflowRef),
  'keys:create': channel<CreateKeyResult>()(createKeySchema.extend({ account_id: idSchema })),
  'keys:update': channel<ApiKey>()(
    z.strictObject({
      ...keyRef,
      label: labelSchema.optional(),
      expires_at: instantSchema.nullable().optional(),
      deletes_at: instantSchema.nullable().optional(),
    }),
  ),
  'keys:revoke': channel<ApiKey>()(z.strictObject(keyRef)),
  'keys:reactivate': channel<ApiKey>()(z.strictObject(keyRef)),
  'keys:delete': channel<{ keychain_entry_removed: boolean }>()(z.strictObject(keyRef)),
  'keys:details': channel<KeyDetails>()(z.strictObject(keyRef)),
  /** The environment the audit uses for a key, kept in the app (null: read it from the label again). */
  'keys:setEnvironment': channel<{ environments: Record<string, Environment> }>()(
    z.strictObject({ key_id: idSchema, environment: environmentSchema.nullable() }),
  ),

  /** The audit policy from Settings (the defaults until changed). */
  'audit:policy': channel<PolicyState>()(empty),
  'audit:setPolicy': channel<PolicyState>()(z.strictObject({ policy: auditPolicySchema })),
  'audit:resetPolicy': channel<PolicyState>()(empty),

  /** The secret from the keychain, for the reveal button; it stays in the window only while shown. */
  'secrets:reveal': channel<{ secret: string }>()(z.strictObject({ key_id: idSchema })),
  /** Main copies from the keychain to the clipboard and clears it after 30 s if it still holds the key. */
  'secrets:copy': channel<{ clears_in_seconds: number }>()(
    z.strictObject({ key_id: idSchema, format: z.enum(['plain', 'env']) }),
  ),
  'secrets:forget': channel<{ removed: boolean }>()(z.strictObject({ key_id: idSchema })),

  /** A leak scan of folders on this machine, off the main process's event loop; progress and the result come as events. */
  'scan:start': channel<{ scan_id: string }>()(
    z.strictObject({
      paths: z
        .array(z.string().trim().min(1, 'must not be empty').max(4096))
        .min(1, 'give at least one folder')
        .max(20, 'at most 20 folders at once'),
      git_history: z.boolean(),
    }),
  ),
  'scan:cancel': channel<{ cancelled: boolean }>()(empty),
} satisfies Record<Channel, ChannelSpec<z.ZodType, unknown>>;

export const eventContract = {
  /** The app menu asks the window to show a page; an expiry notice also names a key to open. */
  'app:navigate': event<{
    page: (typeof PAGES)[number];
    connection_id?: string;
    key?: { account_id: string; key_id: string };
  }>(),
  /** How far a remote sync has come. Counts only, never key material. */
  'inventory:progress': event<SyncProgress>(),
  /** An inventory file being read (in a worker thread): rows so far of all of them. */
  'import:progress': event<{ file_name: string; done: number; total: number }>(),
  /** A leak scan's progress: counts and the folder being read. */
  'scan:progress': event<ScanProgress & { scan_id: string }>(),
  /** A copied key's time on the clipboard is up: cleared, or left alone (something else was copied since). */
  'clipboard:settled': event<{ outcome: 'cleared' | 'left_alone' }>(),
  /** A leak scan ended: what it found (public ids and places, never a secret), or why not. */
  'scan:done': event<ScanDone>(),
} satisfies Record<EventName, { payload?: unknown }>;

export type { Channel, EventName } from './names';
export type Contract = typeof contract;
export type RequestOf<C extends Channel> = z.input<Contract[C]['request']>;
export type ParsedRequestOf<C extends Channel> = z.output<Contract[C]['request']>;
export type ResponseOf<C extends Channel> = NonNullable<Contract[C]['response']>;

export type EventPayload<E extends EventName> = NonNullable<(typeof eventContract)[E]['payload']>;
