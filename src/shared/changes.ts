// The change feed a sync reads (GET /v1/accounts/{id}/changes): what changed in an account's tree
// since a sync token, or everything without one, a page at a time, keys as compact columns.
import { z } from 'zod';
import { accountSchema } from './domain';
import { MAX_CHANGES_PAGE } from './sync-limits';

const column = <T extends z.ZodType>(item: T) => z.array(item);
const isoColumn = column(z.string().nullable());

/** Keys as columns (see shared/key-columns.ts): `account[i]` is a position in `accounts`. */
export const keyColumnsSchema = z
  .object({
    accounts: column(z.string()).describe('The account ids the keys of this page belong to'),
    id: column(z.string()),
    account: column(z.number().int()).describe('Each key’s account: a position in `accounts`'),
    label: column(z.string()),
    partial_key: column(z.string()),
    status: column(z.number().int()).describe('A position in ["active", "revoked", "expired"]'),
    created_at: column(z.string()),
    updated_at: isoColumn.describe('null: the same as created_at'),
    last_used_at: isoColumn,
    expires_at: isoColumn,
    revoked_at: isoColumn,
    deletes_at: isoColumn.describe('When the platform deletes the key by itself (null: not scheduled)'),
  })
  .meta({ id: 'KeyColumns' });

export const listChangesSchema = z.strictObject({
  since: z
    .string()
    .max(200)
    .optional()
    .describe('The `sync_token` of the last sync: only what changed after it. Without it, every key'),
  limit: z.number().int().min(1).max(MAX_CHANGES_PAGE).default(MAX_CHANGES_PAGE),
  cursor: z
    .string()
    .max(400)
    .optional()
    .describe('`next_cursor` from the previous page (it carries `since`: send it alone)'),
});
export type ListChangesInput = z.input<typeof listChangesSchema>;

export const keyChangesSchema = z
  .object({
    full: z.boolean().describe('true: the pages hold every key there is; keys held but not in them were deleted'),
    accounts: z
      .array(accountSchema)
      .describe('First page only: every account of the tree, parents first (full), or those changed since'),
    keys: keyColumnsSchema.describe('Keys created or changed, as they are now'),
    deleted_key_ids: z.array(z.string()).describe('Keys deleted since `since` (full: since the sync began)'),
    total: z
      .number()
      .int()
      .nullable()
      .describe('First page only: how many keys and deletions the sync holds (more may arrive while it runs)'),
    next_cursor: z.string().nullable().describe('The next page; null on the last'),
    sync_token: z.string().nullable().describe('Last page only: send it as `since` next time'),
  })
  .meta({ id: 'KeyChanges' });
export type KeyChanges = z.infer<typeof keyChangesSchema>;
