// The change feed's numbers, apart from its schemas: the CLI's help prints them without loading zod.

/** The largest page the feed answers: 5,000 keys as columns are about 620 KB of JSON. */
export const MAX_CHANGES_PAGE = 5000;

/** Days the platform keeps a deleted key's tombstone: a sync token older than its deletions answers 410. */
export const DEFAULT_TOMBSTONE_DAYS = 30;
