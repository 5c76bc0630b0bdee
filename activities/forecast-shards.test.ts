import { describe, expect, it } from 'vitest';
import { seriesHash, shardCount, shardMembers, shardOf } from './forecast-shards.js';

const keys = (n: number, prefix = 'PH') => Array.from({ length: n }, (_, k) => `${prefix}-${String(k + 1).padStart(4, '0')}`);

describe('forecast shard split', () => {
  it('hashes keys as 32-bit FNV-1a (reference values of the published algorithm)', () => {
    expect(seriesHash('')).toBe(0x811c9dc5);
    expect(seriesHash('a')).toBe(0xe40c292c);
    expect(seriesHash('foobar')).toBe(0xbf9cf968);
  });

  it('puts every series in exactly one shard, whatever the shard count', () => {
    const all = keys(5000);
    for (const shards of [1, 2, 7, 50]) {
      const parts = Array.from({ length: shards }, (_, s) => shardMembers(all, s, shards));
      expect(parts.flat().sort()).toEqual([...all].sort());
      expect(parts.reduce((n, p) => n + p.length, 0)).toBe(all.length);
    }
  });

  it('keeps a series in its shard when other series come and go', () => {
    const before = keys(300);
    const after = [...before.slice(50), ...keys(80, 'TB')];
    for (const k of before.slice(50)) expect(shardMembers(after, shardOf(k, 6), 6)).toContain(k);
  });

  it('balances sequential SKU codes within a few percent of the mean size', () => {
    const all = keys(10_000);
    const shards = shardCount(all.length, 1000, 1000);
    expect(shards).toBe(10);
    const sizes = Array.from({ length: shards }, (_, s) => shardMembers(all, s, shards).length);
    for (const size of sizes) expect(Math.abs(size - 1000)).toBeLessThan(100);
  });

  it('counts shards from the series and the size, at least one and at most the cap', () => {
    expect(shardCount(0, 1000, 100)).toBe(1);
    expect(shardCount(1000, 1000, 100)).toBe(1);
    expect(shardCount(1001, 1000, 100)).toBe(2);
    expect(shardCount(1_000_000, 1000, 100)).toBe(100);
    expect(() => shardCount(10, 0, 100)).toThrow(RangeError);
    expect(() => shardMembers(keys(3), 3, 3)).toThrow(RangeError);
  });
});
