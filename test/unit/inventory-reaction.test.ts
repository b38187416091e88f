// What the other stores do when the inventory changes (stores/inventory-reaction.ts), case by case.
import { describe, expect, it } from 'vitest';
import { type InventoryMoment, inventoryReaction } from '../../src/renderer/src/stores/inventory-reaction';

const keys = ['a'];
const accounts = ['root'];
const environments = {};
const ready = (patch: Partial<InventoryMoment> = {}): InventoryMoment => ({
  phase: 'ready',
  entries: keys,
  accounts,
  environments,
  complete: true,
  syncing: false,
  ...patch,
});

describe('inventoryReaction', () => {
  it('an inventory that opens whole: view restored, use read, flags a moment after the rows', () => {
    expect(inventoryReaction(ready({ phase: 'loading', entries: [] }), ready(), undefined)).toEqual({
      audit: 'later',
      loadUse: true,
      openView: true,
      followView: false,
    });
  });

  it('…unless the table filters on a flag: then the audit runs at once (no empty table meanwhile)', () => {
    expect(inventoryReaction(ready({ phase: 'loading', entries: [] }), ready(), 'expiring').audit).toBe('now');
  });

  it('a first slice: audited at once (cleared, as the audit waits for every key), use not read yet', () => {
    const slice = ready({ complete: false });
    expect(inventoryReaction(ready({ phase: 'loading', entries: [] }), slice, null)).toEqual({
      audit: 'now',
      loadUse: false,
      openView: true,
      followView: false,
    });
  });

  it('every key arriving after the slice: flags later, use read, the view follows', () => {
    const slice = ready({ complete: false });
    expect(inventoryReaction(slice, ready({ entries: ['a', 'b'] }), null)).toEqual({
      audit: 'later',
      loadUse: true,
      openView: false,
      followView: true,
    });
  });

  it('one key edited in a whole inventory: audited now, the view follows, use left alone', () => {
    expect(inventoryReaction(ready(), ready({ entries: ['a2'] }), null)).toEqual({
      audit: 'now',
      loadUse: false,
      openView: false,
      followView: true,
    });
    expect(inventoryReaction(ready(), ready({ environments: { a: 'production' } }), null).audit).toBe('now');
    expect(inventoryReaction(ready(), ready({ accounts: ['root', 'eu'] }), null).audit).toBe('now');
  });

  it('an update that changes nothing the audit reads: nothing, but a sync that ended reads the use', () => {
    expect(inventoryReaction(ready(), ready({ syncing: true }), null)).toEqual({
      audit: 'none',
      loadUse: false,
      openView: false,
      followView: false,
    });
    expect(inventoryReaction(ready({ syncing: true }), ready(), null)).toEqual({
      audit: 'none',
      loadUse: true,
      openView: false,
      followView: false,
    });
  });
});
