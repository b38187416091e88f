import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type EngineFixture, openTestEngine, snapshot } from '../../support/engine';

let f: EngineFixture;
beforeEach(async () => {
  f = await openTestEngine();
});
afterEach(() => f.cleanup());

describe('accounts', () => {
  it('has one root, created once', async () => {
    const root = await f.engine.getAccount(f.rootId);
    expect(root).toMatchObject({ name: 'Acme', parent_id: null, status: 'active' });
    expect((await f.engine.ensureRootAccount('Other')).id).toBe(f.rootId);
  });

  it('builds a tree of subaccounts and lists it parents first', async () => {
    const eu = await f.engine.createSubaccount(f.rootId, { name: 'EU' });
    const euDev = await f.engine.createSubaccount(eu.id, { name: '  EU dev ' });
    const us = await f.engine.createSubaccount(f.rootId, { name: 'US' });
    expect(euDev).toMatchObject({ name: 'EU dev', parent_id: eu.id });
    expect((await f.engine.listSubaccounts(f.rootId)).map((a) => a.name)).toEqual(['EU', 'US']);
    expect((await f.engine.accountTree(f.rootId)).map((a) => a.id)).toEqual([f.rootId, eu.id, euDev.id, us.id]);
    expect((await f.engine.accountTree(eu.id)).map((a) => a.id)).toEqual([eu.id, euDev.id]);
  });

  it('renames, deactivates and activates', async () => {
    const eu = await f.engine.createSubaccount(f.rootId, { name: 'EU' });
    f.clock.advance(1000);
    expect(await f.engine.updateAccount(eu.id, { name: 'Europe' })).toMatchObject({
      name: 'Europe',
      updated_at: '2026-06-01T12:00:01.000Z',
    });
    expect((await f.engine.updateAccount(eu.id, { status: 'inactive' })).status).toBe('inactive');
    expect((await f.engine.updateAccount(eu.id, { status: 'active' })).status).toBe('active');
  });

  it('refuses to deactivate the root, bad names and unknown accounts, changing nothing', async () => {
    const before = await snapshot(f.engine);
    await expect(f.engine.updateAccount(f.rootId, { status: 'inactive' })).rejects.toThrow(
      expect.objectContaining({ code: 'conflict', message: expect.stringMatching(/^status: /) }),
    );
    await expect(f.engine.createSubaccount(f.rootId, { name: '' })).rejects.toThrow(/^name: must not be empty$/);
    await expect(f.engine.createSubaccount(f.rootId, { title: 'x' })).rejects.toThrow(/^name: /);
    await expect(f.engine.updateAccount(f.rootId, { status: 'paused' })).rejects.toThrow(/^status: /);
    await expect(f.engine.updateAccount(f.rootId, {})).rejects.toThrow(/^request: give name or status$/);
    await expect(f.engine.createSubaccount('acc_0000000000000000', { name: 'Lost' })).rejects.toThrow(
      expect.objectContaining({ code: 'not_found' }),
    );
    expect(await snapshot(f.engine)).toBe(before);
  });
});
