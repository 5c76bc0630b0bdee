import { describe, expect, it } from 'vitest';
import { addWeeks } from '../calendar/index.js';
import { buildHistory } from './history.js';
import { segmentCustomers } from './segments.js';
import { takeSnapshot } from './snapshot.js';
import type { AudienceItem, OrderRow } from './types.js';

const W0 = '2024-01-01';
const items: AudienceItem[] = [
  { itemId: 'candle', category: 'CANDLE', keyword: 'RED', prefix: '10', price: 1 },
  { itemId: 'mug', category: 'MUG', keyword: 'BLUE', prefix: '20', price: 3 },
];
const buy = (customerId: string, weeks: number[], itemId = 'candle'): OrderRow[] =>
  weeks.map((w) => ({ customerId, country: customerId === 'E' ? 'France' : 'United Kingdom', itemId, week: addWeeks(W0, w), units: 1 }));

describe('segmentCustomers', () => {
  // Twelve weeks of history (W0..W11), segmented as of W12.
  const orders = [
    ...buy('A', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
    ...buy('A', [0], 'mug'),
    ...buy('B', [0, 1, 2, 3, 4, 5]),
    ...buy('C', [0]),
    ...buy('D', [9, 10, 11]),
    ...buy('E', [0, 4, 8, 11]),
    ...buy('F', [3, 9]),
  ];
  const h = buildHistory(orders, items);
  const s = takeSnapshot(h, h.endWeek, { halfLifeWeeks: 13, affinityHalfLifeWeeks: 13, newWeeks: 8, burnInWeeks: 4 });
  const seg = new Map(segmentCustomers(s).map((x) => [x.customerId, x]));

  it('scores recency and frequency by terciles and names the RFM class', () => {
    // Weeks since last: A 0, B 6, C 11, D 0, E 0, F 6 - 4 = 2; mid-ranks over
    // [11, 6, 2, 0, 0, 0]: C 1/12, B 3/12, F 5/12, A = D = E 9/12 → R 1, 1, 2, 3.
    // Active weeks A 12, B 6, C 1, D 3, E 4, F 2: mid-ranks C 1/12, F 3/12, D 5/12, E 7/12,
    // B 9/12, A 11/12 → F 1, 1, 2, 2, 3, 3.
    expect([...seg.values()].map((x) => [x.customerId, x.recency, x.frequency]).sort()).toEqual([
      ['A', 3, 3],
      ['B', 1, 3],
      ['C', 1, 1],
      ['D', 3, 2],
      ['E', 3, 2],
      ['F', 2, 1],
    ]);
    expect(Object.fromEntries([...seg].map(([id, x]) => [id, x.segment]))).toEqual({
      A: 'champions',
      B: 'at-risk',
      C: 'lapsed',
      D: 'new', // first purchase within the last 8 weeks
      E: 'loyal',
      F: 'occasional',
    });
    expect(seg.get('E')!.country).toBe('France');
  });

  it('describes the category mix by value share', () => {
    const a = seg.get('A')!;
    // 12 candles at 1, one mug at 3: shares 0.8 / 0.2.
    expect(a.topCategories.map((t) => t.category)).toEqual(['CANDLE', 'MUG']);
    expect(a.topCategories[0].share).toBeCloseTo(0.8, 12);
    expect(a.mixBreadth).toBeCloseTo(Math.exp(-(0.8 * Math.log(0.8) + 0.2 * Math.log(0.2))), 12);
    expect(seg.get('C')!.mixBreadth).toBeCloseTo(1, 12);
  });
});
