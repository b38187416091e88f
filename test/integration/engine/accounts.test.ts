import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type EngineFixture, openTestEngine, snapshot } from '../../support/engine';

let f: EngineFixture;
beforeEach(() => {
  f = openTestEngine();
});
afterEach(() => f.cleanup());

describe('accounts', () => {
  it('has one root, created once', () => {
    const root = f.engine.getAccount(f.rootId);
    expect(root).toMatchObject({ name: 'Acme', parent_id: null, status: 'active' });
    expect(f.engine.ensureRootAccount('Other').id).toBe(f.rootId);
  });

  it('builds a tree of subaccounts and lists it parents first', () => {
    const eu = f.engine.createSubaccount(f.rootId, { name: 'EU' });
    const euDev = f.engine.createSubaccount(eu.id, { name: '  EU dev ' });
    const us = f.engine.createSubaccount(f.rootId, { name: 'US' });
    expect(euDev).toMatchObject({ name: 'EU dev', parent_id: eu.id });
    expect(f.engine.listSubaccounts(f.rootId).map((a) => a.name)).toEqual(['EU', 'US']);
    expect(f.engine.accountTree(f.rootId).map((a) => a.id)).toEqual([f.rootId, eu.id, euDev.id, us.id]);
    expect(f.engine.accountTree(eu.id).map((a) => a.id)).toEqual([eu.id, euDev.id]);
    expect(f.engine.reaches(f.rootId, euDev.id)).toBe(true);
    expect(f.engine.reaches(eu.id, us.id)).toBe(false);
    expect(f.engine.reaches(euDev.id, eu.id)).toBe(false);
  });

  it('renames, deactivates and activates', () => {
    const eu = f.engine.createSubaccount(f.rootId, { name: 'EU' });
    f.clock.advance(1000);
    expect(f.engine.updateAccount(eu.id, { name: 'Europe' })).toMatchObject({
      name: 'Europe',
      updated_at: '2026-06-01T12:00:01.000Z',
    });
    expect(f.engine.updateAccount(eu.id, { status: 'inactive' }).status).toBe('inactive');
    expect(f.engine.updateAccount(eu.id, { status: 'active' }).status).toBe('active');
  });

  it('refuses to deactivate the root, bad names and unknown accounts, changing nothing', () => {
    const before = snapshot(f.engine);
    expect(() => f.engine.updateAccount(f.rootId, { status: 'inactive' })).toThrow(
      expect.objectContaining({ code: 'conflict', message: expect.stringMatching(/^status: /) }),
    );
    expect(() => f.engine.createSubaccount(f.rootId, { name: '' })).toThrow(/^name: must not be empty$/);
    expect(() => f.engine.createSubaccount(f.rootId, { title: 'x' })).toThrow(/^name: /);
    expect(() => f.engine.updateAccount(f.rootId, { status: 'paused' })).toThrow(/^status: /);
    expect(() => f.engine.updateAccount(f.rootId, {})).toThrow(/^request: give name or status$/);
    expect(() => f.engine.createSubaccount('acc_0000000000000000', { name: 'Lost' })).toThrow(
      expect.objectContaining({ code: 'not_found' }),
    );
    expect(snapshot(f.engine)).toBe(before);
  });
});
