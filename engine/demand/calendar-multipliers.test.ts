import { describe, expect, it } from 'vitest';
import { categoryMultipliers, seasonalIndex, weeklyGrowth } from './calendar-multipliers.js';
import { addWeeks, isoWeekOfYear } from '../calendar/index.js';

function synthetic(weeks: number, peakWeek: number, peak: number, growthPerYear = 1) {
  const start = '2022-01-03';
  return Array.from({ length: weeks }, (_, t) => {
    const week = addWeeks(start, t);
    const season = isoWeekOfYear(week) === peakWeek ? peak : 1;
    return { week, units: 100 * season * Math.pow(growthPerYear, t / 52) };
  });
}

describe('calendar multipliers', () => {
  it('ISO week numbers match known dates', () => {
    expect(isoWeekOfYear('2024-12-30')).toBe(1); // belongs to 2025-W01
    expect(isoWeekOfYear('2026-11-09')).toBe(46);
    expect(isoWeekOfYear('2020-12-28')).toBe(53);
  });

  it('finds a recurring peak week and averages to one', () => {
    const idx = seasonalIndex(synthetic(160, 46, 3));
    expect(idx[46]).toBeGreaterThan(1.5);
    expect(idx[20]).toBeLessThan(1.05);
    const mean = idx.slice(1, 53).reduce((a, b) => a + b, 0) / 52;
    expect(mean).toBeCloseTo(1, 6);
  });

  it('estimates year-over-year growth per week', () => {
    const g = weeklyGrowth(synthetic(160, 46, 1, 1.2));
    expect(Math.pow(g, 52)).toBeCloseTo(1.2, 2);
  });

  it('lifts weeks of a one-off promotion by the uplift seen in past promotions', () => {
    const history = synthetic(160, 46, 1);
    const promoWeek = history[120].week;
    history[120].units *= 1.8;
    const weeks = [addWeeks(history[159].week, 1), addWeeks(history[159].week, 2)];
    const r = categoryMultipliers({
      category: 'phones',
      history,
      promotions: [
        { category: 'phones', startWeek: promoWeek, endWeek: promoWeek, recurring: false },
        { category: 'phones', startWeek: weeks[1], endWeek: weeks[1], recurring: false },
      ],
      weeks,
    });
    expect(r.promoUplift).toBeCloseTo(1.8, 1);
    expect(r.values[1] / r.values[0]).toBeCloseTo(1.8, 1);
  });
});
