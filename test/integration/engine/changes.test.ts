// The change feed a sync reads, on the real store (SQLite, and PostgreSQL in that project): every
// key without a token; afterwards exactly what was created, changed, used or deleted; pages in
// change order that lose nothing written while they are read; tokens past the horizon refused.
import { afterEach, describe, expect, it } from 'vitest';
import type { KeyEngine } from '../../../src/platform/engine';
import type { KeyChanges } from '../../../src/shared/changes';
import type { Account, ApiKey } from '../../../src/shared/domain';
import { keysOfColumns } from '../../../src/shared/key-columns';
import { admin, type EngineFixture, openTestEngine } from '../../support/engine';

let f: EngineFixture;
afterEach(async () => f?.cleanup());

interface Synced {
  full: boolean;
  keys: Map<string, ApiKey>;
  deleted: string[];
  accounts: Account[];
  token: string;
  pages: number;
  total: number | null;
}

/** Every page of one sync, as a client reads them; `between` runs after each page but the last. */
async function sync(
  engine: KeyEngine,
  accountId: string,
  since?: string,
  limit = 1000,
  between: (page: KeyChanges) => Promise<void> = async () => {},
): Promise<Synced> {
  const keys = new Map<string, ApiKey>();
  const deleted: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  let first: KeyChanges | null = null;
  for (;;) {
    const page: KeyChanges = await engine.keyChanges(accountId, {
      limit,
      ...(cursor ? { cursor } : since ? { since } : {}),
    });
    pages++;
    first ??= page;
    for (const key of keysOfColumns(page.keys)) keys.set(key.id, key);
    deleted.push(...page.deleted_key_ids);
    cursor = page.next_cursor;
    if (!cursor)
      return {
        full: page.full,
        keys,
        deleted,
        accounts: first.accounts,
        token: page.sync_token as string,
        pages,
        total: first.total,
      };
    expect(page.sync_token).toBeNull();
    await between(page);
  }
}

describe('the change feed', () => {
  it('gives every key and the account tree without a token, a page at a time, with a token on the last page', async () => {
    f = await openTestEngine();
    const eu = await f.engine.createSubaccount(f.rootId, { name: 'EU' });
    const made: string[] = [];
    for (let i = 0; i < 7; i++)
      made.push((await f.engine.createKey(i % 2 ? eu.id : f.rootId, { label: `worker ${i}` }, admin)).key.id);

    const all = await sync(f.engine, f.rootId, undefined, 3);
    expect(all.full).toBe(true);
    expect(all.pages).toBe(3);
    expect(all.total).toBe(7);
    expect([...all.keys.keys()].sort()).toEqual([...made].sort());
    expect(all.keys.get(made[1] as string)).toEqual(await f.engine.getKey(null, made[1] as string));
    expect(all.accounts.map((account) => account.name)).toEqual(['Acme', 'EU']);
    expect(all.token).toMatch(/^[\w-]+$/);

    // The subaccount's own sync holds its keys only.
    const euOnly = await sync(f.engine, eu.id);
    expect(euOnly.keys.size).toBe(3);
    expect(euOnly.accounts.map((account) => account.name)).toEqual(['EU']);
  });

  it('then gives exactly what was created, changed, used or deleted, and nothing when nothing was', async () => {
    f = await openTestEngine();
    const eu = await f.engine.createSubaccount(f.rootId, { name: 'EU' });
    const kept = await f.engine.createKey(f.rootId, { label: 'unchanged' }, admin);
    const edited = await f.engine.createKey(f.rootId, { label: 'billing' }, admin);
    const revoked = await f.engine.createKey(eu.id, { label: 'eu worker' }, admin);
    const used = await f.engine.createKey(eu.id, { label: 'eu reporting' }, admin);
    const removed = await f.engine.createKey(f.rootId, { label: 'temporary' }, admin);
    const first = await sync(f.engine, f.rootId);

    const idle = await sync(f.engine, f.rootId, first.token);
    expect(idle).toMatchObject({ full: false, deleted: [], accounts: [], total: 0, pages: 1 });
    expect(idle.keys.size).toBe(0);

    f.clock.advance(60_000);
    const created = await f.engine.createKey(eu.id, { label: 'eu deploy' }, admin);
    await f.engine.updateKey(null, edited.key.id, { label: 'billing production' }, admin);
    await f.engine.revokeKey(null, revoked.key.id, admin);
    await f.engine.verify(used.secret);
    await f.engine.deleteKey(null, removed.key.id, admin);
    await f.engine.updateAccount(eu.id, { name: 'Europe' });
    const apac = await f.engine.createSubaccount(f.rootId, { name: 'APAC' });

    const next = await sync(f.engine, f.rootId, idle.token);
    expect(next.full).toBe(false);
    expect([...next.keys.keys()].sort()).toEqual([created.key.id, edited.key.id, revoked.key.id, used.key.id].sort());
    expect(next.keys.get(edited.key.id)?.label).toBe('billing production');
    expect(next.keys.get(revoked.key.id)?.status).toBe('revoked');
    expect(next.keys.get(used.key.id)?.last_used_at).toBe(new Date(f.clock.now()).toISOString());
    expect(next.keys.has(kept.key.id)).toBe(false);
    expect(next.deleted).toEqual([removed.key.id]);
    expect(next.total).toBe(5);
    expect(next.accounts.map((account) => account.name).sort()).toEqual(['APAC', 'Europe']);
    expect(next.accounts.find((account) => account.id === apac.id)?.parent_id).toBe(f.rootId);

    // A subaccount's sync sees its own tree's changes only.
    const euFirst = await sync(f.engine, eu.id);
    await f.engine.createKey(f.rootId, { label: 'root only' }, admin);
    const euNext = await sync(f.engine, eu.id, euFirst.token);
    expect(euNext.keys.size + euNext.deleted.length).toBe(0);
  });

  it('loses nothing written while its pages are read, by this engine or another process', async () => {
    f = await openTestEngine();
    const ids: string[] = [];
    for (let i = 0; i < 9; i++) ids.push((await f.engine.createKey(f.rootId, { label: `worker ${i}` }, admin)).key.id);
    const other = await f.another();
    const late: ApiKey[] = [];
    let step = 0;
    const first = await sync(f.engine, f.rootId, undefined, 3, async (page) => {
      step++;
      if (step !== 1) return;
      // After the first page: a key already sent is changed, one is deleted, one is made elsewhere.
      const sent = keysOfColumns(page.keys);
      await other.updateKey(null, sent[0]?.id as string, { label: 'renamed mid-sync' }, admin);
      await other.deleteKey(null, sent[1]?.id as string, admin);
      late.push((await other.createKey(f.rootId, { label: 'made mid-sync' }, admin)).key);
    });
    const renamedId = ids.find((id) => first.keys.get(id)?.label === 'renamed mid-sync');
    expect(renamedId).toBeDefined();
    const deletedId = first.deleted[0] as string;
    expect(first.deleted).toHaveLength(1);
    expect(first.keys.has(late[0]?.id as string)).toBe(true);
    // What the client holds after applying the pages in order is what the platform holds.
    const held = new Map(first.keys);
    for (const id of first.deleted) held.delete(id);
    const platform = (await f.engine.listKeys(f.rootId, { include_subaccounts: true, limit: 100 })).data;
    expect([...held.keys()].sort()).toEqual(platform.map((key) => key.id).sort());
    expect(platform.some((key) => key.id === deletedId)).toBe(false);
  });

  it('refuses a token past the horizon with sync_token_expired, and a foreign or broken one naming `since`', async () => {
    f = await openTestEngine({ tombstoneDays: 30 });
    const eu = await f.engine.createSubaccount(f.rootId, { name: 'EU' });
    const doomed = await f.engine.createKey(f.rootId, { label: 'doomed' }, admin);
    const old = await sync(f.engine, f.rootId);
    const euToken = (await sync(f.engine, eu.id)).token;

    await expect(f.engine.keyChanges(f.rootId, { since: euToken })).rejects.toMatchObject({
      code: 'invalid_request',
      message: expect.stringMatching(/^since: /),
    });
    await expect(f.engine.keyChanges(f.rootId, { since: 'not-a-token' })).rejects.toMatchObject({
      code: 'invalid_request',
      message: expect.stringMatching(/^since: /),
    });
    await expect(f.engine.keyChanges(f.rootId, { cursor: 'bm9wZQ' })).rejects.toMatchObject({
      code: 'invalid_request',
      message: expect.stringMatching(/^cursor: /),
    });
    await expect(f.engine.keyChanges(f.rootId, { limit: 5001 })).rejects.toMatchObject({ code: 'invalid_request' });

    await f.engine.deleteKey(null, doomed.key.id, admin);
    f.clock.advanceDays(29);
    await f.engine.flush();
    expect((await sync(f.engine, f.rootId, old.token)).deleted).toEqual([doomed.key.id]);

    f.clock.advanceDays(2);
    await f.engine.flush(); // prunes the tombstone: the old token can no longer be answered in full
    await expect(f.engine.keyChanges(f.rootId, { since: old.token })).rejects.toMatchObject({
      code: 'sync_token_expired',
      message: expect.stringMatching(/^since: .*30 days/),
    });
    // A sync started after the pruned deletion goes on as before.
    const fresh = await sync(f.engine, f.rootId);
    expect(fresh.keys.has(doomed.key.id)).toBe(false);
    expect((await sync(f.engine, f.rootId, fresh.token)).keys.size).toBe(0);
  });
});
