import { describe, expect, it } from 'vitest';
import type { PlanView } from '../db/repositories/plans.repository.js';
import { planViewCache } from './plan-view-cache.js';

const view = (id: number, status: PlanView['status'], scopeId = 'electronics/east') => ({ id, scopeId, status, items: [] }) as unknown as PlanView;

/** A store of plans whose reads are counted and can be held back. */
function store() {
  const plans = new Map<number, PlanView>();
  const reads: number[] = [];
  let gate: Promise<void> = Promise.resolve();
  return {
    plans,
    reads,
    hold() {
      let open!: () => void;
      gate = new Promise((r) => (open = r));
      return () => open();
    },
    load: async (id: number) => {
      reads.push(id);
      const snapshot = plans.get(id);
      await gate;
      return snapshot;
    },
  };
}

describe('the plan answer cache', () => {
  it('serves a draft or published plan from memory while fresh, then reads it again', async () => {
    let now = 0;
    const s = store();
    s.plans.set(1, view(1, 'draft'));
    const cache = planViewCache(s.load, { freshMs: 1000, maxEntries: 10, now: () => now });
    const first = await cache.get(1);
    expect(JSON.parse(first!.body.toString())).toMatchObject({ id: 1, status: 'draft' });
    now = 999;
    expect(await cache.get(1)).toBe(first);
    s.plans.set(1, view(1, 'published'));
    now = 1000;
    const second = await cache.get(1);
    expect(JSON.parse(second!.body.toString()).status).toBe('published');
    expect(second!.etag).not.toBe(first!.etag);
    expect(s.reads).toEqual([1, 1]);
  });

  it('keeps rejected and superseded plans, which never change, and evicts the least recently read', async () => {
    let now = 0;
    const s = store();
    for (const id of [1, 2, 3]) s.plans.set(id, view(id, id === 1 ? 'superseded' : 'rejected'));
    const cache = planViewCache(s.load, { freshMs: 10, maxEntries: 2, now: () => now });
    await cache.get(1);
    await cache.get(2);
    now = 1e9;
    await cache.get(1);
    await cache.get(3); // evicts 2, read longest ago
    await cache.get(1);
    await cache.get(2);
    expect(s.reads).toEqual([1, 2, 3, 2]);
  });

  it('reads once for concurrent requests, never caches an unknown plan, and forgets a scope on a decision', async () => {
    const s = store();
    s.plans.set(1, view(1, 'draft'));
    s.plans.set(2, view(2, 'published', 'toys/west'));
    const cache = planViewCache(s.load, { freshMs: 60_000, maxEntries: 10 });
    const open = s.hold();
    const both = Promise.all([cache.get(1), cache.get(1)]);
    open();
    const [a, b] = await both;
    expect(a).toBe(b);
    expect(await cache.get(9)).toBeUndefined();
    expect(await cache.get(9)).toBeUndefined();
    await cache.get(2);
    s.plans.set(1, view(1, 'published'));
    cache.invalidateScope('electronics/east');
    expect(JSON.parse((await cache.get(1))!.body.toString()).status).toBe('published');
    await cache.get(2);
    expect(s.reads).toEqual([1, 9, 9, 2, 1]);
  });

  it('does not keep a read that started before a decision', async () => {
    const s = store();
    s.plans.set(1, view(1, 'draft'));
    const cache = planViewCache(s.load, { freshMs: 60_000, maxEntries: 10 });
    const open = s.hold();
    const early = cache.get(1);
    s.plans.set(1, view(1, 'published'));
    cache.invalidateScope('electronics/east');
    open();
    expect(JSON.parse((await early)!.body.toString()).status).toBe('draft');
    expect(JSON.parse((await cache.get(1))!.body.toString()).status).toBe('published');
  });
});
