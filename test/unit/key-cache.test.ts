import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { constantTimeEqual, KeyCache } from '../../src/platform/key-cache';

const hashOf = (id: string) => Buffer.alloc(32, id);
const randomId = () => randomBytes(4).toString('hex');

describe('KeyCache', () => {
  it('finds what it holds, with its own hash, and nothing else', () => {
    const cache = new KeyCache<string>(10);
    expect(cache.find('00000000')).toBe(-1);
    cache.add('00000000', hashOf('a'), 'zero');
    cache.add('ffffffff', hashOf('b'), 'all ones');
    const slot = cache.find('ffffffff');
    expect(cache.entryAt(slot)).toBe('all ones');
    expect(cache.hashEquals(slot, hashOf('b'))).toBe(true);
    expect(cache.hashEquals(slot, hashOf('a'))).toBe(false);
    // A presented key's public id is read in place, after its prefix.
    expect(cache.find('sk-ffffffff.rest', 3)).toBe(slot);
    expect(cache.entryAt(cache.find('00000000'))).toBe('zero');
    expect(cache.find('0000000f')).toBe(-1);
    expect(cache.size).toBe(2);
  });

  it('pushes the oldest entry out when full, and says so', () => {
    const evicted: string[] = [];
    const cache = new KeyCache<string>(3, (entry) => evicted.push(entry));
    for (const id of ['00000001', '00000002', '00000003', '00000004']) cache.add(id, hashOf(id), id);
    expect(evicted).toEqual(['00000001']);
    expect(cache.find('00000001')).toBe(-1);
    expect(cache.size).toBe(3);
    expect(cache.delete('00000003')).toBe('00000003');
    expect(cache.delete('00000003')).toBeUndefined();
    cache.add('00000005', hashOf('5'), '00000005');
    expect(evicted).toEqual(['00000001', '00000002']); // deleted entries are not reported
    expect(['00000004', '00000005'].map((id) => cache.entryAt(cache.find(id)))).toEqual(['00000004', '00000005']);
  });

  it('compares hashes byte for byte: any one byte different, or a short hash, is not equal', () => {
    const base = randomBytes(32);
    expect(constantTimeEqual(base, Buffer.from(base))).toBe(true);
    for (let i = 0; i < 32; i++) {
      const changed = Buffer.from(base);
      changed[i] = (changed[i] as number) ^ 1;
      expect(constantTimeEqual(changed, base)).toBe(false);
    }
    expect(constantTimeEqual(base.subarray(0, 31), base)).toBe(false);
    expect(constantTimeEqual(base, Buffer.concat([Buffer.alloc(5), base]), 5)).toBe(true);
  });

  it('holds nothing when its size is 0', () => {
    const cache = new KeyCache<string>(0);
    cache.add('00000001', hashOf('1'), 'one');
    expect(cache.find('00000001')).toBe(-1);
    expect(cache.size).toBe(0);
  });

  it('agrees with a plain Map through 20,000 random adds and deletes, across growth and wrap-around', () => {
    const max = 3000;
    const cache = new KeyCache<string>(max);
    const model = new Map<string, string>(); // insertion order = age
    for (let step = 0; step < 20_000; step++) {
      if (model.size > 0 && step % 3 === 0) {
        const known = [...model.keys()];
        const id = known[step % known.length] as string;
        expect(cache.delete(id)).toBe(model.get(id));
        model.delete(id);
        continue;
      }
      const id = randomId();
      if (model.has(id) || cache.find(id) >= 0) continue;
      cache.add(id, hashOf(id), `entry ${id}`);
      model.set(id, `entry ${id}`);
      while (model.size > cache.size) model.delete(model.keys().next().value as string);
      if (step % 1000 === 0) {
        for (const [held, entry] of model) {
          const slot = cache.find(held);
          expect(cache.entryAt(slot)).toBe(entry);
          expect(cache.hashEquals(slot, hashOf(held))).toBe(true);
        }
      }
    }
    expect(cache.size).toBe(model.size);
    for (const id of model.keys()) expect(cache.find(id)).toBeGreaterThanOrEqual(0);
    cache.clear();
    expect(cache.size).toBe(0);
    for (const id of model.keys()) expect(cache.find(id)).toBe(-1);
  });
});
