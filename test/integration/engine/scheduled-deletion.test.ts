// A key's scheduled deletion, held by the platform (SQLite, and PostgreSQL in that project): set
// and cancelled through an edit, each an event; done by the engine once due, on its timer's flush
// and at start, with a 'deleted' event by the system and a tombstone the change feed reports.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { admin, type EngineFixture, openTestEngine } from '../../support/engine';

const DAY = 86_400_000;
let f: EngineFixture;
beforeEach(async () => {
  f = await openTestEngine();
});
afterEach(() => f.cleanup());

const inDays = (days: number) => new Date(f.clock.now() + days * DAY).toISOString();

describe('a scheduled deletion', () => {
  it('is set and cancelled by an edit, each recorded, and refused in the past naming the field', async () => {
    const { key } = await f.engine.createKey(f.rootId, { label: 'Old billing worker' }, admin);
    const due = inDays(30);
    const scheduled = await f.engine.updateKey(null, key.id, { deletes_at: due }, admin);
    expect(scheduled.deletes_at).toBe(due);
    expect((await f.engine.getKey(null, key.id)).deletes_at).toBe(due);
    await expect(f.engine.updateKey(null, key.id, { deletes_at: inDays(-1) }, admin)).rejects.toMatchObject({
      code: 'invalid_request',
      message: 'deletes_at: must be in the future',
    });
    const cancelled = await f.engine.updateKey(null, key.id, { deletes_at: null }, admin);
    expect(cancelled.deletes_at).toBeNull();
    const edits = (await f.engine.keyEvents(null, key.id)).filter((event) => event.type === 'edited');
    expect(edits.map((event) => event.changes)).toEqual([
      { deletes_at: { from: null, to: due } },
      { deletes_at: { from: due, to: null } },
    ]);
    // Cancelled: nothing happens when the day comes.
    f.clock.advance(31 * DAY);
    await f.engine.flush();
    expect((await f.engine.getKey(null, key.id)).id).toBe(key.id);
  });

  it('deletes the key once due, by the system, with its tombstone in the change feed', async () => {
    const { key, secret } = await f.engine.createKey(f.rootId, { label: 'Replaced worker' }, admin);
    const kept = await f.engine.createKey(f.rootId, { label: 'Replacement' }, admin);
    await f.engine.revokeKey(null, key.id, admin);
    await f.engine.updateKey(null, key.id, { deletes_at: inDays(30) }, admin);
    const before = await f.engine.keyChanges(f.rootId, {});
    f.clock.advance(29 * DAY);
    await f.engine.flush();
    expect((await f.engine.getKey(null, key.id)).id).toBe(key.id); // not yet

    f.clock.advance(DAY + 1);
    await f.engine.flush();
    await expect(f.engine.getKey(null, key.id)).rejects.toMatchObject({ code: 'not_found' });
    expect((await f.engine.getKey(null, kept.key.id)).id).toBe(kept.key.id);
    expect((await f.engine.verify(secret)).ok).toBe(false);
    const events = await f.engine.keyEvents(null, key.id);
    expect(events.at(-1)).toMatchObject({ type: 'deleted', actor: 'system' });
    const since = await f.engine.keyChanges(f.rootId, { since: before.sync_token as string });
    expect(since.deleted_key_ids).toEqual([key.id]);
  });

  it('deletes at start what fell due while nothing ran, and changes nothing else', async () => {
    const { key } = await f.engine.createKey(f.rootId, { label: 'Due while closed' }, admin);
    const later = await f.engine.createKey(f.rootId, { label: 'Due later' }, admin);
    await f.engine.updateKey(null, key.id, { deletes_at: inDays(1) }, admin);
    await f.engine.updateKey(null, later.key.id, { deletes_at: inDays(10) }, admin);
    f.clock.advance(2 * DAY);
    const reopened = await f.reopen();
    await reopened.start().started();
    await expect(reopened.getKey(null, key.id)).rejects.toMatchObject({ code: 'not_found' });
    expect((await reopened.getKey(null, later.key.id)).deletes_at).toBe(
      new Date(f.clock.now() + 8 * DAY).toISOString(),
    );
  });
});
