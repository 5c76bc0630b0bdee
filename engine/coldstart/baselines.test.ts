import { describe, expect, it } from 'vitest';
import { categoryShareForecast, globalMedianForecast, likeItemForecast } from './baselines.js';
import { addWeeks, buildHistory } from './history.js';
import { launchMetrics } from './metrics.js';
import type { AttributeSchema, CandidateRow, ItemRow, SalesRow } from './types.js';

// A hand-made shop: O sells 10/week throughout; three launches after week 0.
const START = '2010-01-04';
const schema: AttributeSchema = { columns: ['category', 'price'], kinds: { category: 'categorical', price: 'numeric' } };
const items: ItemRow[] = [
  { itemId: 'O', attributes: { category: 'X', price: 1 } },
  { itemId: 'A1', attributes: { category: 'X', price: 1 } },
  { itemId: 'A2', attributes: { category: 'X', price: 4 } },
  { itemId: 'B1', attributes: { category: 'Y', price: 1 } },
];
const sales: SalesRow[] = [];
for (let w = 0; w < 10; w++) sales.push({ itemId: 'O', week: addWeeks(START, w), units: 10 });
const put = (id: string, w0: number, units: number[]): void =>
  units.forEach((u, s) => sales.push({ itemId: id, week: addWeeks(START, w0 + s), units: u }));
put('A1', 2, [4, 2, 0]);
put('A2', 5, [8, 4, 2]);
put('B1', 3, [6, 6, 6]);
const candidates: CandidateRow[] = [{ itemId: 'C', attributes: { category: 'X', price: 1.2 }, launchWeek: addWeeks(START, 10) }];
const history = buildHistory({ sales, items, schema, horizon: 3, burnIn: 1 });
const input = { history, items, schema, candidates, horizon: 3 };

describe('cold-start baselines on a hand-made catalogue', () => {
  it('finds the launches after the burn-in', () => {
    expect(history.launches.map((l) => history.itemIds[l.item])).toEqual(['A1', 'B1', 'A2']);
  });

  it('global median: the per-step median of the launches\' curves, weeks beyond the history left out', () => {
    // Steps: (4, 6, 8), (2, 6, 4), (0, 6, 2).
    expect(globalMedianForecast(input).get('C')).toEqual([6, 4, 2]);
    // Cut after week 6: A2 (week 5) has only its first two weeks; step 3 is the median of (0, 6).
    const short = buildHistory({ sales: sales.filter((r) => r.week < addWeeks(START, 7)), items, schema, horizon: 3, burnIn: 1 });
    expect(globalMedianForecast({ ...input, history: short }).get('C')).toEqual([6, 4, 3]);
  });

  it('like-item with k=1 copies the nearest same-category launch in log price', () => {
    expect(likeItemForecast(input, { k: 1 }).get('C')).toEqual([4, 2, 0]);
  });

  it('like-item with k=2 averages the two category launches', () => {
    expect(likeItemForecast(input, { k: 2 }).get('C')).toEqual([6, 3, 1]);
  });

  it('category-share = current category level × share × mean relative shape', () => {
    // A1 at week 2: mean 2 vs category (O) 10/week; A2 at week 5: mean 14/3 vs (12 + 10)/2 = 11.
    const share = (2 + 14 / 3) / (10 + 11);
    const shape = [(2 + 8 / (14 / 3)) / 2, (1 + 4 / (14 / 3)) / 2, (0 + 2 / (14 / 3)) / 2];
    // Category X over weeks 8–9: O sells 10, the launches nothing.
    const expected = shape.map((s) => 10 * share * s);
    const got = categoryShareForecast(input, { window: 2, prior: 0 }).get('C')!;
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 10));
  });
});

describe('launch metrics', () => {
  it('computes WAPE, bias and total WAPE over candidate-weeks', () => {
    const f = new Map([['a', [1, 3]], ['b', [0, 0]]]);
    const a = new Map([['a', [2, 2]], ['b', [1, 1]]]);
    const m = launchMetrics(f, a);
    expect(m.wape).toBeCloseTo((1 + 1 + 1 + 1) / 6);
    expect(m.bias).toBeCloseTo((4 - 6) / 6);
    expect(m.totalWape).toBeCloseTo((0 + 2) / 6);
  });
});

describe('group relative levels', () => {
  it('give each value its per-item demand over the window relative to the shop, shrunk towards 1', async () => {
    const { groupRelativeLevels } = await import('./history.js');
    // Weeks 6..9: O sells 40 over 4 item-weeks, A1 0 over 4, A2 6 (4 + 2 in weeks 6-7) over 4,
    // B1 0 over 4: shop 46 / 16 = 2.875 per item-week. X: (46 + 3 x 2.875) / (12 + 3) / 2.875;
    // Y: (0 + 3 x 2.875) / (4 + 3) / 2.875 = 3/7.
    const all = groupRelativeLevels(history, history.category, 10, 4, 3);
    expect(all.get('X')).toBeCloseTo((46 + 3 * 2.875) / 15 / 2.875, 12);
    expect(all.get('Y')).toBeCloseTo(3 / 7, 12);
    expect(all.get('Z') ?? 1).toBe(1);
  });
});
