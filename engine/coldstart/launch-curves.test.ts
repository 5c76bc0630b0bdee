import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../math/index.js';
import { buildColdStartContext } from './features.js';
import { addWeeks } from './history.js';
import { candidateRows, implausible, launchCurves, type StoredCandidate } from './launch-curves.js';
import { runColdStartTraining, trainingSetup } from './training-run.js';
import type { AttributeSchema, ItemRow, LaunchForecast, SalesRow } from './types.js';

function shop() {
  const r = mulberry32(3);
  const schema: AttributeSchema = { columns: ['category', 'subcategory', 'brand', 'price'], kinds: { category: 'categorical', subcategory: 'categorical', brand: 'categorical', price: 'numeric' } };
  const items: ItemRow[] = [];
  const sales: SalesRow[] = [];
  for (let i = 0; i < 60; i++) {
    const price = [2, 5, 1][i % 3] * (0.7 + 0.6 * r());
    items.push({ itemId: `I${i}`, attributes: { category: ['MUG', 'BAG', 'CARD'][i % 3], subcategory: 'x', brand: 'b', price } });
    const launch = i < 5 ? 0 : 1 + Math.floor(r() * 70);
    for (let w = launch; w < 80; w++) {
      const units = Math.round((20 / price) * Math.exp(-(w - launch) / 8) * (0.5 + r()));
      if (units > 0 || w === launch) sales.push({ itemId: `I${i}`, week: addWeeks('2010-01-04', w), units: Math.max(units, 1) });
    }
  }
  return buildColdStartContext({ sales, items, schema, horizon: 4 });
}

const START = addWeeks('2010-01-04', 80);
const stored = (id: string, earliestWeek: string): StoredCandidate => ({ id, category: 'MUG', subcategory: 'x', brand: 'b', price: 2, attributes: {}, earliestWeek });

describe('launch curves for candidates', () => {
  const context = shop();
  const rows = candidateRows([stored('N1', addWeeks(START, -3)), stored('N2', addWeeks(START, 5))], START);

  it('forecasts each candidate for the first week it could launch in the plan', () => {
    expect(rows.map((r) => r.launchWeek)).toEqual([START, addWeeks(START, 5)]);
    expect(rows[0].attributes).toMatchObject({ category: 'MUG', price: 2 });
  });

  it('uses the like-item baseline without a champion, with 95% bounds outside the 80% ones', () => {
    const out = launchCurves({ candidates: rows, context, horizon: 4 });
    expect(out).toMatchObject({ method: 'like-item', championId: null });
    expect(out.series.map((s) => [s.seriesKey, s.model, s.params.refWeek])).toEqual([
      ['N1', 'like-item', START],
      ['N2', 'like-item', addWeeks(START, 5)],
    ]);
    for (const p of out.series.flatMap((s) => s.points)) {
      expect(p.lo95).toBeLessThanOrEqual(p.lo80);
      expect(p.hi95).toBeGreaterThanOrEqual(p.hi80);
    }
  });

  it('uses a plausible champion and records its id and measured error correlation', async () => {
    const setup = trainingSetup(context, { checkpointEvery: 10, indicators: false, epochs: 2, units: 4, hidden: 8, seed: 1 });
    const { model } = await runColdStartTraining({ context, setup, modelId: 7, champion: async () => undefined });
    const out = launchCurves({ candidates: rows, context, horizon: 4, champion: { id: 7, model, metrics: { errorCorrelation: 0.3 } } });
    expect(out.method).toBe('lstm');
    expect(out.championRejected).toBeUndefined();
    expect(out.series[0]).toMatchObject({ model: 'coldstart-lstm #7', params: { refWeek: START, modelId: 7, errorCorrelation: 0.3 } });
  });

  it('calls a curve far above anything the scope sold implausible', () => {
    const ok: LaunchForecast = { itemId: 'N1', step: 1, mean: 5, p10: 2, p90: 9 };
    expect(implausible([ok], context)).toBeUndefined();
    expect(implausible([{ ...ok, p90: 1e9 }], context)).toMatch(/^N1 step 1: mean 5, p10 2, p90 1000000000 \(limit \d+\)$/);
    expect(implausible([{ ...ok, mean: Number.NaN }], context)).toBeDefined();
  });
});
