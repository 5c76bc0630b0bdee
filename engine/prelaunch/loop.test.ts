import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../data/formats/csv.js';
import { generateMarketplace } from '../../data/synthetic/index.js';
import { buildColdStartContext, candidateRows, launchCurves, type AttributeSchema, type ItemRow, type SalesRow } from '../coldstart/index.js';
import { correctWithSignals } from './index.js';

const HORIZON = 13;

function table(path: string): Array<Record<string, string>> {
  const doc = parseCsv(readFileSync(new URL(path, import.meta.url), 'utf8'));
  return doc.records.map((r) => Object.fromEntries(doc.header.map((h, j) => [h, r.fields[j]])));
}

const schema: AttributeSchema = {
  columns: ['category', 'subcategory', 'brand', 'price'],
  kinds: { category: 'categorical', subcategory: 'categorical', brand: 'categorical', price: 'numeric' },
};

describe('correctWithSignals', () => {
  it('returns the very same curves for the real shop, which has no signals', () => {
    const products = table('../../test/fixtures/real-shop/products.csv');
    const items: ItemRow[] = products.map((p) => ({ itemId: p.sku, attributes: { category: p.category, subcategory: p.category, brand: '', price: Number(p.price) } }));
    const sales: SalesRow[] = table('../../test/fixtures/real-shop/sales.csv').map((s) => ({ itemId: s.sku, week: s.week, units: Number(s.units) }));
    const context = buildColdStartContext({ sales, items, schema, horizon: HORIZON });
    const stored = table('../../test/fixtures/real-shop/candidates.csv').map((c) => ({
      id: c.id, category: c.category, subcategory: c.category, brand: '', price: Number(c.price), attributes: {}, earliestWeek: c.earliest_week,
    }));
    const rows = candidateRows(stored, '2010-07-05');
    const { series } = launchCurves({ candidates: rows, context, horizon: HORIZON });
    const copy = structuredClone(series);
    const none = correctWithSignals({ series, candidates: rows, context, signals: [], horizon: HORIZON });
    expect(none.series).toBe(series);
    expect(none.summary).toBeUndefined();
    // Signals of past launches only (no candidate has any): still nothing moves.
    const pastOnly = correctWithSignals({ series, candidates: rows, context, signals: [{ itemId: products[0].sku, week: '2010-01-04', views: 100 }], horizon: HORIZON });
    expect(pastOnly.series).toBe(series);
    expect(series).toEqual(copy);
  });

  it('moves synthetic candidates with signals towards their true launch demand', () => {
    const m = generateMarketplace({ seed: 7 });
    const region = 'east';
    const items: ItemRow[] = m.products.map((p) => ({ itemId: p.sku, attributes: { category: p.category, subcategory: p.subcategory, brand: p.brand, price: p.price } }));
    const sales = m.sales.filter((s) => s.region === region).map((s) => ({ itemId: s.sku, week: s.week, units: s.units }));
    const context = buildColdStartContext({ sales, items, schema, horizon: HORIZON });
    const scope = m.candidates.filter((c) => c.scopeId === `electronics/${region}`);
    const rows = candidateRows(
      scope.map((c) => ({ id: c.id, category: c.category, subcategory: c.subcategory, brand: c.brand, price: c.price, attributes: {}, earliestWeek: c.earliestWeek })),
      m.options.asOf,
    );
    const { series } = launchCurves({ candidates: rows, context, horizon: HORIZON });
    const out = correctWithSignals({ series, candidates: rows, context, signals: m.prelaunchSignals, horizon: HORIZON });
    expect(out.summary!.examples).toBeGreaterThan(40);
    expect(out.summary!.adjusted).toBeGreaterThan(15);
    // Log error of each candidate's 13-week total against its true demand, without and with signals.
    let before = 0;
    let after = 0;
    out.series.forEach((s, i) => {
      const truth = m.truth.candidateDemand(s.seriesKey, rows[i].launchWeek, HORIZON).reduce((a, b) => a + b, 0);
      const total = (pts: Array<{ mean: number }>) => pts.reduce((a, p) => a + p.mean, 0);
      before += Math.abs(Math.log(total(series[i].points) / truth));
      after += Math.abs(Math.log(total(s.points) / truth));
      if (s === series[i]) return;
      expect(s.params.prelaunch).toMatchObject({ factor: expect.any(Number), measures: expect.any(Array) });
    });
    expect(after).toBeLessThan(0.7 * before);
  });
});
