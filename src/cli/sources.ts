// Where a command's inventory comes from: a platform database (--db), a platform over HTTP (--url,
// its key from ITELLICO_API_KEY or KEYHOLD_API_KEY so it never shows in a process list), or an exported file (--file).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, resolve } from 'node:path';
import { EmbeddedPlatform } from '../platform/embedded-platform';
import { openSqliteEngine } from '../platform/store/sqlite/open-engine';
import { KeyholdClient } from '../sdk/client';
import { RemotePlatform } from '../sdk/remote-platform';
import { API_KEY_ENV, LEGACY_API_KEY_ENV } from '../shared/env-names';
import type { KeyPlatform } from '../shared/key-platform';
import { accountTree, allKeys } from '../shared/platform-reads';
import { InventoryFileError, type InventorySnapshot, parseInventoryFile } from '../shared/report/inventory-file';
import { appDataDir, appPlatformDb } from './app-data-dir';
import { UsageError } from './usage';

export { appDataDir };

/** The API key for --url: from the environment, never from the command line (process lists show it). */
function apiKeyFromEnvironment(): string | undefined {
  return (process.env[API_KEY_ENV]?.trim() || process.env[LEGACY_API_KEY_ENV]?.trim()) ?? undefined;
}

export interface PlatformSource {
  platform: KeyPlatform;
  /** For people: the file or URL. */
  name: string;
  kind: 'embedded' | 'remote';
  base_url: string | null;
  close(): Promise<void>;
}

/** Opens --db or --url; with neither, the desktop app's own embedded platform. */
export async function openPlatform(values: { db?: string; url?: string }): Promise<PlatformSource> {
  if (values.db !== undefined && values.url !== undefined) throw new UsageError('give --db or --url, not both');
  if (values.url !== undefined) {
    const apiKey = apiKeyFromEnvironment();
    if (!apiKey) {
      throw new UsageError(
        `--url needs the platform's API key in the ${API_KEY_ENV} (or ${LEGACY_API_KEY_ENV}) environment variable`,
      );
    }
    let base: URL;
    try {
      base = new URL(values.url);
    } catch {
      throw new UsageError(`--url must be an http:// or https:// URL, got "${values.url}"`);
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:')
      throw new UsageError(`--url must be an http:// or https:// URL, got "${values.url}"`);
    const baseUrl = base.toString().replace(/\/+$/, '');
    const client = new KeyholdClient({ baseUrl, apiKey, timeoutMs: 15_000, retry: { maxRetries: 3 } });
    return {
      platform: new RemotePlatform(client),
      name: baseUrl,
      kind: 'remote',
      base_url: baseUrl,
      close: async () => {},
    };
  }
  const appDb = appPlatformDb();
  const file = resolve(values.db ?? appDb);
  if (!existsSync(file)) {
    throw new UsageError(
      values.db === undefined
        ? `the app's embedded platform ${file} does not exist yet: start the app once, or give --db or --url`
        : `--db: no such file ${file}`,
    );
  }
  const engine = openSqliteEngine(file);
  return {
    platform: await EmbeddedPlatform.open(engine, { kind: 'user', name: userInfo().username }),
    name: file,
    kind: 'embedded',
    base_url: null,
    close: () => engine.close(),
  };
}

/**
 * Whose name this platform's keys' secrets are filed under in the keychain (key-entries.ts): its
 * identity, the same by every path and URL; a server too old to say has its URL.
 */
export async function keychainOwner(source: PlatformSource): Promise<string> {
  return (await source.platform.platformId()) ?? source.name;
}

/**
 * Every account and key the platform's key can see; with `useSince`, the keys' use counted from
 * then (the audit's activity rules).
 */
export async function fetchSnapshot(
  source: PlatformSource,
  now: number,
  useSince: number | null = null,
): Promise<InventorySnapshot> {
  const me = await source.platform.me();
  const keys = await allKeys(source.platform, me.id);
  const since = useSince === null ? null : new Date(useSince).toISOString();
  return {
    source: { name: source.name, kind: source.kind, base_url: source.base_url, synced_at: new Date(now).toISOString() },
    exported_at: new Date(now).toISOString(),
    accounts: await accountTree(source.platform, me.id),
    keys,
    environments: {},
    key_use_since: since,
    key_use: since === null ? [] : await source.platform.keyUse(me.id, since),
  };
}

/** The inventory named by one of --db, --url, --file; with none, the desktop app's embedded platform. */
export async function loadSnapshot(
  values: { db?: string; url?: string; file?: string },
  now: number,
  useSince: number | null = null,
): Promise<InventorySnapshot> {
  const given = [values.db, values.url, values.file].filter((value) => value !== undefined).length;
  if (given > 1) throw new UsageError('give one of --db FILE, --url URL or --file INVENTORY, not several');
  if (values.file !== undefined) {
    const file = resolve(values.file);
    if (!existsSync(file)) throw new UsageError(`--file: no such file ${file}`);
    if (!statSync(file).isFile()) throw new UsageError(`--file: ${file} is not a file`);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(`--file: cannot read ${file} (${error instanceof Error ? error.message : String(error)})`);
    }
    try {
      return parseInventoryFile(basename(file), text);
    } catch (error) {
      if (error instanceof InventoryFileError) throw new UsageError(`--file: ${error.message}`);
      throw error;
    }
  }
  const source = await openPlatform(values);
  try {
    return await fetchSnapshot(source, now, useSince);
  } finally {
    await source.close();
  }
}
