import { describe, expect, it } from 'vitest';
import { buildColdStartContext, encodeCandidates, prepareColdStartDataset } from './features.js';
import { addWeeks } from './history.js';
import type { AttributeSchema, ItemRow, SalesRow } from './types.js';

const schema: AttributeSchema = { columns: ['category', 'price'], kinds: { category: 'categorical', price: 'numeric' } };
const start = '2010-01-04';
const items: ItemRow[] = [];
const sales: SalesRow[] = [];
for (let i = 0; i < 12; i++) {
  items.push({ itemId: `I${i}`, attributes: { category: i % 2 ? 'MUG' : 'BAG', price: 1 + i } });
  const launch = i < 3 ? 0 : 4 + i;
  for (let w = launch; w < 26; w++) sales.push({ itemId: `I${i}`, week: addWeeks(start, w), units: 1 + ((i + w) % 5) });
}
const ctx = buildColdStartContext({ sales, items, schema, horizon: 4 });

describe('cold-start features', () => {
  it('makes one sample per launch with an empty window, scaled targets and a mask for weeks past the history', () => {
    const d = prepareColdStartDataset(ctx, { window: 3, valFraction: 0.25 });
    expect(d.train.n + d.val.n).toBe(9);
    // Empty history window: units and observed flag are zero for a launch.
    for (let j = 0; j < 3; j++) expect([d.train.seq[j * 4], d.train.seq[j * 4 + 1]]).toEqual([0, 0]);
    // The first launch (week 7) has all weeks observed; targets × scale give back its units.
    const k = 0;
    const id = d.train.itemIds[k];
    const w0 = d.train.week[k];
    const units = sales.filter((r) => r.itemId === id).map((r) => r.units);
    for (let s = 0; s < 4; s++) expect(d.train.target[k * 4 + s] * d.train.scale[k * 4 + s]).toBeCloseTo(units[s], 4);
    expect(w0).toBe(7);
  });

  it('adds warm windows to training only, observed in the window and ending before validation launches', () => {
    const base = prepareColdStartDataset(ctx, { window: 3, valFraction: 0.25 });
    const d = prepareColdStartDataset(ctx, { window: 3, valFraction: 0.25, warmWindows: 5 });
    expect(d.val.n).toBe(base.val.n);
    expect(d.train.n).toBe(base.train.n + 5);
    const firstVal = Math.min(...Array.from(d.val.week));
    for (let k = base.train.n; k < d.train.n; k++) {
      expect(d.train.week[k] + 4).toBeLessThanOrEqual(firstVal);
      expect(d.train.seq[(k * 3 + 2) * 4 + 1]).toBe(1);
    }
  });

  it('encodes an unseen category into the UNKNOWN bucket', () => {
    const d = prepareColdStartDataset(ctx, { window: 3 });
    const c = encodeCandidates(d.spec, ctx, [{ itemId: 'X', attributes: { category: 'LAMP', price: 3 }, launchWeek: addWeeks(start, 28) }]);
    const vocab = d.spec.categorical[0].vocab;
    expect(Array.from(c.stat.subarray(0, vocab.length))).toEqual([1, ...new Array<number>(vocab.length - 1).fill(0)]);
    expect(Array.from(c.scale).every((v) => Number.isFinite(v) && v > 0)).toBe(true);
  });

  it('feeds week-of-year terms only when the launches span a whole year', () => {
    const short = prepareColdStartDataset(ctx, { window: 3 });
    expect(short.spec.calendar).toBe(false);
    expect(Array.from(short.train.seq).every((v) => v === 0)).toBe(true);
    const longSales: SalesRow[] = [];
    for (let i = 0; i < 12; i++) {
      const launch = i < 3 ? 0 : 4 + 6 * i;
      for (let w = launch; w < 80; w++) longSales.push({ itemId: `I${i}`, week: addWeeks(start, w), units: 1 + ((i + w) % 5) });
    }
    const long = prepareColdStartDataset(buildColdStartContext({ sales: longSales, items, schema, horizon: 4 }), { window: 3 });
    expect(long.spec.calendar).toBe(true);
    expect(Array.from(long.train.seq).some((v) => v !== 0)).toBe(true);
  });
});
