import { describe, expect, it } from 'vitest';
import { addWeeks, buildHistory } from './history.js';
import { SeasonalIndex } from './seasonal.js';
import type { AttributeSchema, ItemRow, SalesRow } from './types.js';

describe('seasonal multiplier', () => {
  it("leaves a launch's own first weeks out of its group's share", () => {
    // X and Y each hold one established item selling 10 a week; L launches into Y at week 10
    // with 30 a week. Y's established demand keeps its share flat, so an item of Y gets the
    // same multiplier as an item of X (with L counted, Y's share would triple from week 10).
    const START = '2010-01-04';
    const schema: AttributeSchema = { columns: ['category'], kinds: { category: 'categorical' } };
    const items: ItemRow[] = [
      { itemId: 'OX', attributes: { category: 'X' } },
      { itemId: 'OY', attributes: { category: 'Y' } },
      { itemId: 'L', attributes: { category: 'Y' } },
    ];
    const sales: SalesRow[] = [];
    for (let w = 0; w < 14; w++) {
      sales.push({ itemId: 'OX', week: addWeeks(START, w), units: 10 }, { itemId: 'OY', week: addWeeks(START, w), units: 10 });
      if (w >= 10) sales.push({ itemId: 'L', week: addWeeks(START, w), units: 30 });
    }
    const h = buildHistory({ sales, items, schema, horizon: 4 });
    expect(h.launches.map((l) => h.itemIds[l.item])).toEqual(['L']);
    const idx = new SeasonalIndex(h, h.itemIds.map((id) => items.find((i) => i.itemId === id)?.attributes), ['category']);
    for (const w of [10, 11, 12, 13]) {
      const y = idx.multiplier({ category: 'Y' }, w, 10);
      expect(y).toBeCloseTo(idx.multiplier({ category: 'X' }, w, 10), 6);
      // The shop's own demand did rise with L: the multiplier is above 1 from week 10 on.
      expect(y).toBeGreaterThan(1);
    }
  });
});
