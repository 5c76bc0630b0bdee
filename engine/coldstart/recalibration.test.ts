import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../math/index.js';
import { buildColdStartContext, type ColdStartContext } from './features.js';
import { addWeeks, isoWeekOfYear, truncateHistory } from './history.js';
import { fitRecalibration, historyLevels, innerCutLaunches, launchesSince, recalibrate, recalibratePoints, type CalibrationLaunch, type LaunchForecaster } from './recalibration.js';
import type { AttributeSchema, ItemRow, LaunchForecast, SalesRow } from './types.js';

/** Launches whose weeks are the forecast × true level × lognormal noise (sd 0.5 on the log scale). */
function draws(n: number, level: number, seed: number): CalibrationLaunch[] {
  const r = mulberry32(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  return Array.from({ length: n }, () => {
    const mean = Array.from({ length: 6 }, () => 5 + 50 * r());
    return { mean, actual: mean.map((m) => m * level * Math.exp(0.5 * gauss() - 0.125)) };
  });
}

describe('recalibration', () => {
  it('learns the level as the ratio of totals, shrunk towards 1 by the prior', () => {
    const cal = draws(400, 2, 1);
    const a = cal.flatMap((l) => l.actual as number[]).reduce((x, y) => x + y, 0);
    const f = cal.flatMap((l) => l.mean as number[]).reduce((x, y) => x + y, 0);
    expect(fitRecalibration(cal, { prior: 0 }).level).toBeCloseTo(a / f, 10);
    expect(fitRecalibration(cal, { prior: 0 }).rawBias).toBeCloseTo(f / a - 1, 10);
    expect(fitRecalibration(cal, { prior: 400 }).level).toBeCloseTo(Math.sqrt(a / f), 10);
    expect(fitRecalibration(cal, { prior: Number.POSITIVE_INFINITY }).level).toBe(1);
    expect(fitRecalibration(cal, { prior: 0, maxLevel: 1.5 }).level).toBe(1.5);
  });

  it('gives a band that covers about 80% of new weeks drawn like the calibration ones', () => {
    const r = fitRecalibration(draws(300, 2, 2), { prior: 0 });
    let inside = 0;
    let n = 0;
    for (const l of draws(300, 2, 3))
      l.mean.forEach((m, s) => {
        const b = recalibrate(r, m);
        const a = l.actual[s]!;
        n++;
        if (a >= b.p10 && a <= b.p90) inside++;
      });
    expect(inside / n).toBeGreaterThan(0.76);
    expect(inside / n).toBeLessThan(0.84);
  });

  it('moves each side of a quantile band by its own score: a band already right stays put', () => {
    // Actuals exactly at the forecaster's p10 and p90 alternately: no shift needed either way.
    const cal: CalibrationLaunch[] = Array.from({ length: 50 }, (_, i) => ({ mean: [10], lo: [4], hi: [20], actual: [i % 2 ? 4 : 20] }));
    const r = fitRecalibration(cal, { prior: Number.POSITIVE_INFINITY });
    expect(r.lowerShift).toBeCloseTo(0, 12);
    expect(r.upperShift).toBeCloseTo(0, 12);
    const b = recalibrate(r, 10, 4, 20);
    expect(b.p10).toBeCloseTo(4, 12);
    expect(b.p90).toBeCloseTo(20, 12);
  });

  it('is the identity without observed weeks, and scales p50 and the point forecast by the level', () => {
    const none = fitRecalibration([{ mean: [3, 4], actual: [undefined, undefined] }]);
    expect(none.level).toBe(1);
    expect(none.weeks).toBe(0);
    const p: LaunchForecast = { itemId: 'X', step: 1, mean: 10, p10: 5, p50: 8, p90: 20, point: 9 };
    const [q] = recalibratePoints({ ...none, level: 2 }, [p]);
    expect([q.mean, q.p50, q.point]).toEqual([20, 16, 18]);
    expect(q.p10).toBeLessThanOrEqual(q.mean);
    expect(q.p90).toBeGreaterThanOrEqual(q.mean);
  });
});

/** Items launching every week (2 per week), each selling `week + 1` units a week from launch. */
function shop(): ColdStartContext {
  const schema: AttributeSchema = { columns: ['category'], kinds: { category: 'categorical' } };
  const items: ItemRow[] = [];
  const sales: SalesRow[] = [];
  const start = '2020-01-06';
  for (let w = 0; w < 30; w++)
    for (let k = 0; k < 2; k++) {
      const id = `I${w}-${k}`;
      items.push({ itemId: id, attributes: { category: 'X' } });
      for (let v = w; v < 30; v++) sales.push({ itemId: id, week: addWeeks(start, v), units: w + 1 });
    }
  return buildColdStartContext({ sales, items, schema, horizon: 4, burnIn: 0 });
}

describe('inner cuts', () => {
  const ctx = shop();

  it('truncates the history: weeks, launches, first sales and the launch level of the earlier weeks only', () => {
    const h = truncateHistory(ctx.history, 10);
    expect(h.weeks).toBe(10);
    expect(h.launches.every((l) => l.week < 10)).toBe(true);
    expect(h.launches).toHaveLength(20);
    expect(Math.max(...h.firstSale)).toBe(9);
    expect(h.shopTotal).toHaveLength(10);
    expect(h.units.every((u) => u.length === 10)).toBe(true);
    // Launch of week w sells w + 1; weeks of launches of weeks 0..9 before week 10.
    let num = 0;
    let den = 0;
    for (let w = 0; w < 10; w++)
      for (let s = 0; s < 4 && w + s < 10; s++) {
        num += 2 * (w + 1);
        den += 2;
      }
    expect(h.globalLaunchLevel).toBeCloseTo(num / den, 10);
  });

  it("forecasts each inner cut's launches from the history before it and pairs them with what they sold", () => {
    const seen: number[] = [];
    // A forecaster that says "the last week's launches' level": what it can know at the cut.
    const forecaster: LaunchForecaster = (c, rows) => {
      seen.push(c.history.weeks);
      const last = c.history.weeks;
      return rows.flatMap((r) => [1, 2, 3, 4].map((step) => ({ itemId: r.itemId, step, mean: last, p10: last, p90: last })));
    };
    const cal = innerCutLaunches(ctx, forecaster, { cuts: 2, spacing: 5, minLaunches: 1 });
    expect(seen).toEqual([25, 20]);
    expect(cal).toHaveLength(20);
    // Launches of weeks 25..29 sell 26..30 a week; the data ends at week 29.
    const { actual } = launchesSince(ctx, 25);
    expect(actual.get('I27-0')).toEqual([28, 28, 28, undefined]);
    const r = fitRecalibration(cal, { prior: 0 });
    expect(r.rawBias).toBeLessThan(0);
    expect(r.level).toBeGreaterThan(1);
  });
});

describe('levels known at the end of the history', () => {
  it('reads the recent launches and the shop trend against the weeks the history\'s launches sold in', () => {
    const ctx = shop();
    const h = ctx.history;
    const lv = historyLevels(ctx, 0);
    // Shop units in week w: launches of weeks 0..w, two each, selling v + 1: (w + 1)(w + 2).
    const shopAt = (w: number): number => (w + 1) * (w + 2);
    let last8 = 0;
    for (let w = 22; w < 30; w++) last8 += shopAt(w) / 8;
    let then = 0;
    let n = 0;
    for (let l = 0; l < 30; l++)
      for (let w = l; w < Math.min(30, l + 4); w++) {
        then += 2 * shopAt(w);
        n += 2;
      }
    expect(lv.shopTrend).toBeCloseTo(last8 / (then / n), 10);
    expect(lv.shopTrend).toBeGreaterThan(1);
    // Launches of weeks 17..29 (13 weeks) sell 18..30, shrunk with 30 pseudo-weeks to the global level.
    let num = 0;
    let den = 0;
    for (let l = 17; l < 30; l++)
      for (let w = l; w < Math.min(30, l + 4); w++) {
        num += 2 * (l + 1);
        den += 2;
      }
    expect(lv.recentLaunches).toBeCloseTo((num + 30 * h.globalLaunchLevel) / (den + 30) / h.globalLaunchLevel, 10);
    expect(lv.recentLaunches).toBeGreaterThan(1);
    // No weeks ahead: no seasonal factor.
    expect(lv.shopTrendSeason).toBeCloseTo(lv.shopTrend, 10);
  });

  it("multiplies the trend by the shop's week-of-year profile over the weeks ahead", () => {
    // Two years of a shop selling 40 a week in ISO weeks 1–12 and 10 otherwise, plus launches.
    const schema: AttributeSchema = { columns: ['category'], kinds: { category: 'categorical' } };
    const start = '2020-01-06';
    const items: ItemRow[] = [{ itemId: 'base', attributes: { category: 'X' } }];
    const sales: SalesRow[] = [];
    for (let w = 0; w < 104; w++) {
      const week = addWeeks(start, w);
      sales.push({ itemId: 'base', week, units: isoWeekOfYear(week) <= 12 ? 40 : 10 });
      if (w % 4 === 0 && w >= 4) {
        items.push({ itemId: `L${w}`, attributes: { category: 'X' } });
        sales.push({ itemId: `L${w}`, week, units: 1 });
      }
    }
    const ctx = buildColdStartContext({ sales, items, schema, horizon: 4 });
    // The history ends in the last week of 2021: the 8 weeks ahead are the high season.
    expect(isoWeekOfYear(addWeeks(start, 104))).toBe(1);
    const lv = historyLevels(ctx, 8);
    expect(lv.shopTrendSeason / lv.shopTrend).toBeGreaterThan(2.5);
    expect(lv.shopTrendSeason / lv.shopTrend).toBeLessThan(4.5);
  });
});
