// What the other stores do when the inventory changes (stores/inventory-reaction.ts), case by case.
import { describe, expect, it } from 'vitest';
import { ASKING, COMPLETE, type LoadStage } from '../../src/renderer/src/stores/inventory-load';
import { type InventoryMoment, inventoryReaction } from '../../src/renderer/src/stores/inventory-reaction';
import type { IndexedKey } from '../../src/shared/key-index';

const entry = (id: string) => ({ key: { id } }) as IndexedKey;
const keys = [entry('a')];
const accounts = ['root'];
const environments = {};
const head = (rows: IndexedKey[] = keys): LoadStage => ({ kind: 'head', rows, view: null });
const ready = (patch: Partial<InventoryMoment> = {}): InventoryMoment => ({
  stage: COMPLETE,
  entries: keys,
  accounts,
  environments,
  syncing: false,
  oneKeyChange: null,
  ...patch,
});
const asking = ready({ stage: ASKING, entries: [] });

describe('inventoryReaction', () => {
  it('an inventory that opens whole: view restored, use read, flags a moment after the rows', () => {
    expect(inventoryReaction(asking, ready(), undefined)).toEqual({
      audit: 'later',
      onlyKey: null,
      loadUse: true,
      openView: true,
      followView: false,
    });
  });

  it('…unless the table filters on a flag: then the audit runs at once (no empty table meanwhile)', () => {
    expect(inventoryReaction(asking, ready(), 'expiring').audit).toBe('now');
  });

  it('a head: audited at once (cleared, as the audit waits for every key), use not read yet', () => {
    const first = ready({ stage: head(), entries: [] });
    expect(inventoryReaction(asking, first, null)).toEqual({
      audit: 'now',
      onlyKey: null,
      loadUse: false,
      openView: true,
      followView: false,
    });
  });

  it('a held load opens when every key is in', () => {
    const holding = ready({ stage: { kind: 'holding' }, entries: [] });
    expect(inventoryReaction(asking, holding, null).openView).toBe(false);
    expect(inventoryReaction(holding, ready(), null)).toMatchObject({ openView: true, loadUse: true });
  });

  it('every key arriving after the head: flags later, use read, the view follows', () => {
    const first = ready({ stage: head(), entries: [] });
    expect(inventoryReaction(first, ready({ entries: [entry('a'), entry('b')] }), null)).toEqual({
      audit: 'later',
      onlyKey: null,
      loadUse: true,
      openView: false,
      followView: true,
    });
  });

  it('an edit of the head rows: the view follows them (the audit stays cleared)', () => {
    const first = ready({ stage: head(), entries: [] });
    const edited = ready({ stage: head([entry('a2')]), entries: [] });
    expect(inventoryReaction(first, edited, null)).toMatchObject({ audit: 'now', followView: true, onlyKey: null });
  });

  it('asking for another connection leaves what is on screen alone until its head arrives', () => {
    expect(inventoryReaction(ready(), ready({ stage: ASKING }), null)).toMatchObject({
      audit: 'none',
      followView: false,
    });
  });

  it('one key edited in place: that key alone is audited and moved', () => {
    const next = [entry('a2')];
    const one = ready({ entries: next, oneKeyChange: { from: keys, position: 0 } });
    expect(inventoryReaction(ready(), one, null)).toEqual({
      audit: 'now',
      onlyKey: 0,
      loadUse: false,
      openView: false,
      followView: true,
    });
    // The change was made against other entries (a later change replaced them): everything again.
    const stale = ready({ entries: next, oneKeyChange: { from: [entry('z')], position: 0 } });
    expect(inventoryReaction(ready(), stale, null).onlyKey).toBeNull();
    // With the environments or the accounts changed in the same update: everything again.
    const more = ready({ entries: next, environments: { a: 'production' }, oneKeyChange: { from: keys, position: 0 } });
    expect(inventoryReaction(ready(), more, null).onlyKey).toBeNull();
  });

  it('keys added or removed, an environment or an account changed: audited now, in full', () => {
    expect(inventoryReaction(ready(), ready({ entries: [entry('a'), entry('b')] }), null)).toMatchObject({
      audit: 'now',
      onlyKey: null,
      followView: true,
    });
    expect(inventoryReaction(ready(), ready({ environments: { a: 'production' } }), null).audit).toBe('now');
    expect(inventoryReaction(ready(), ready({ accounts: ['root', 'eu'] }), null).audit).toBe('now');
  });

  it('an update that changes nothing the audit reads: nothing, but a sync that ended reads the use', () => {
    expect(inventoryReaction(ready(), ready({ syncing: true }), null)).toEqual({
      audit: 'none',
      onlyKey: null,
      loadUse: false,
      openView: false,
      followView: false,
    });
    expect(inventoryReaction(ready({ syncing: true }), ready(), null)).toMatchObject({ audit: 'none', loadUse: true });
  });
});
