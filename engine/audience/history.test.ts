import { describe, expect, it } from 'vitest';
import { addWeeks } from '../calendar/index.js';
import { buildAudiences } from './audience.js';
import type { AudienceItem, OrderRow } from './types.js';

/**
 * Two customers buying their own products every week for 20 weeks; `units` for customer b.
 * Customer a buys at two prices: with every customer at a single price, the price distance
 * feature is 0/0 (features.ts, a separate matter).
 */
function orders(unitsOfB: number): OrderRow[] {
  const rows: OrderRow[] = [];
  for (let w = 0; w < 20; w++) {
    const week = addWeeks('2024-01-01', w);
    rows.push({ customerId: 'a', country: 'X', itemId: w % 2 ? '300' : '100', week, units: 2 });
    rows.push({ customerId: 'b', country: 'Y', itemId: '200', week, units: unitsOfB });
  }
  return rows;
}
const items: AudienceItem[] = [
  { itemId: '100', category: 'A', keyword: 'K', prefix: '1', price: 1 },
  { itemId: '200', category: 'B', keyword: 'K', prefix: '2', price: 1 },
  { itemId: '300', category: 'A', keyword: 'K', prefix: '3', price: 3 },
];
const candidates = [{ itemId: '101', category: 'A', keyword: 'K', prefix: '1', price: 1 }];

describe('buildHistory: units per line', () => {
  it('scores every customer with a finite logit when all lines have units > 0', () => {
    for (const unitBlend of [0, 0.5]) {
      const r = buildAudiences({ orders: orders(3), items, candidates, top: 2, options: { unitBlend } });
      for (const m of r.audiences[0].audience) expect(Number.isFinite(m.score)).toBe(true);
      expect(Number.isFinite(r.audiences[0].expectedBuyers)).toBe(true);
    }
  });

  it('refuses a line of 0 units, naming the row, instead of log(0) turning every score into NaN', () => {
    // Row 2 is b's first line (rows alternate a, b).
    for (const unitBlend of [0, 0.5]) {
      expect(() => buildAudiences({ orders: orders(0), items, candidates, top: 2, options: { unitBlend } })).toThrow(
        'order row 2 (customer b, item 200, week 2024-01-01): units must be a number > 0, got 0',
      );
    }
  });

  it('refuses negative (returns) and missing units', () => {
    expect(() => buildAudiences({ orders: orders(-1), items, candidates, top: 2 })).toThrow('units must be a number > 0, got -1');
    const missing = orders(3).map((o, k) => (k === 3 ? ({ ...o, units: undefined } as unknown as OrderRow) : o));
    expect(() => buildAudiences({ orders: missing, items, candidates, top: 2 })).toThrow('order row 4 (customer b, item 200, week 2024-01-08): units must be a number > 0, got undefined');
  });
});
