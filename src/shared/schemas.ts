// Request shapes shared by the engine, IPC and HTTP. snake_case, as on the wire, so an error that
// names a field names it the way the caller wrote it.
import { z } from 'zod';
import { KEY_RULES } from './audit/rules';
import { KEY_STATUSES } from './domain';
import { firstHiddenCharacter, isBlank, WITHOUT_HIDDEN_CHARACTERS } from './text-rules';

/**
 * Text as stored or searched (shared/text-rules.ts has the one rule): no hidden character (refused
 * with the character named), NFC, and for a required text something visible. The length limit
 * applies to the text as sent (a name padded past the limit is refused, as the document says).
 * A pattern, so the OpenAPI document states the rule the server applies.
 */
const plainText = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .regex(WITHOUT_HIDDEN_CHARACTERS, {
      error: (issue) =>
        `must not contain invisible, control or bidi characters (${firstHiddenCharacter(issue.input as string)})`,
    })
    .trim()
    .overwrite((value) => value.normalize('NFC'));

/** A label or name: plain text with something visible in it. */
const text = (max: number) =>
  plainText(max)
    .min(1, { error: 'must not be empty', abort: true })
    .refine((value) => !isBlank(value), 'must not be empty');

export const labelSchema = text(100);
export const accountNameSchema = text(100);

/** An ISO-8601 instant with a zone (Z or ±hh:mm); normalised to UTC by the engine. */
export const instantSchema = z.iso.datetime({
  offset: true,
  message: 'must be an ISO-8601 date-time with a time zone',
});

export const idSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'is not a valid id');

const futureInstant = instantSchema.describe('Must be in the future');

export const createKeySchema = z.strictObject({
  label: labelSchema,
  expires_at: futureInstant.nullish(),
});
export type CreateKeyInput = z.input<typeof createKeySchema>;

export const updateKeySchema = z
  .strictObject({
    label: labelSchema.optional(),
    /** null clears the expiration. */
    expires_at: futureInstant.nullable().optional(),
    /** When the platform deletes the key by itself; null cancels a scheduled deletion. */
    deletes_at: futureInstant
      .nullable()
      .optional()
      .describe('When the platform deletes the key by itself (a future instant); null cancels a scheduled deletion'),
  })
  .refine((patch) => patch.label !== undefined || patch.expires_at !== undefined || patch.deletes_at !== undefined, {
    message: 'give label, expires_at or deletes_at',
  })
  .meta({ minProperties: 1 });
export type UpdateKeyInput = z.input<typeof updateKeySchema>;

export const KEY_SORTS = ['created_at', 'updated_at', 'label', 'last_used_at', 'expires_at', 'status'] as const;
export type KeySort = (typeof KEY_SORTS)[number];

export const listKeysSchema = z.strictObject({
  include_subaccounts: z.boolean().default(false).describe('Also list the keys of every subaccount'),
  status: z.enum(KEY_STATUSES).optional().describe('The derived status'),
  flag: z
    .enum(KEY_RULES)
    .optional()
    .describe(
      'Keys that break this audit rule under the platform’s policy (`keyhold serve --policy`): the rule ids and meaning of `keyhold audit`',
    ),
  q: plainText(100)
    .optional()
    .describe(
      'Words (any case, any order) that must each appear in the label or the partial key; or a partial key ' +
        "(`sk-1a2b`, or a whole key, whose secret is ignored) that the keys' partial keys start with",
    ),
  sort: z.enum(KEY_SORTS).default('created_at'),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: z.number().int().min(1).max(1000).default(50),
  cursor: z.string().max(500).optional().describe('`next_cursor` from the previous page'),
});
export type ListKeysInput = z.input<typeof listKeysSchema>;
export type ListKeysQuery = z.output<typeof listKeysSchema>;

export const createAccountSchema = z.strictObject({ name: accountNameSchema });
export type CreateAccountInput = z.input<typeof createAccountSchema>;

export const updateAccountSchema = z
  .strictObject({
    name: accountNameSchema.optional(),
    status: z.enum(['active', 'inactive']).optional(),
  })
  .refine((patch) => patch.name !== undefined || patch.status !== undefined, { message: 'give name or status' })
  .meta({ minProperties: 1 });
export type UpdateAccountInput = z.input<typeof updateAccountSchema>;

/** A list read a page at a time: subaccounts, agents, a key's events. */
export const listPageSchema = z.strictObject({
  limit: z.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(300).optional().describe('`next_cursor` from the previous page'),
});
export type ListPageInput = z.input<typeof listPageSchema>;

export const usageDaysSchema = z.number().int().min(1).max(366);

export const createAgentSchema = z.strictObject({
  name: text(100),
  description: plainText(1000).optional(),
});
export type CreateAgentInput = z.input<typeof createAgentSchema>;
