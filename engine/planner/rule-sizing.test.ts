import { describe, expect, it } from 'vitest';
import { addWeeks } from '../calendar/index.js';
import { historySizedRules, type HistoryLaunch } from './rule-sizing.js';

const START = '2010-01-04';

/** `perWeek[w]` launches in week w, spread over the given categories in turn. */
function history(perWeek: number[], categories: string[]): HistoryLaunch[] {
  const out: HistoryLaunch[] = [];
  let k = 0;
  perWeek.forEach((n, w) => {
    for (let i = 0; i < n; i++) out.push({ category: categories[k++ % categories.length], week: addWeeks(START, w) });
  });
  return out;
}

describe('historySizedRules', () => {
  it('sizes the weekly limit from the shop’s busy weeks, after the warm-up weeks of products already on sale', () => {
    // 200 "launches" in week 0 are the assortment on sale when the history starts; then 14 a week with a 20 every 5th week.
    const perWeek = [200, 0, 0, 0, ...Array.from({ length: 26 }, (_, w) => (w % 5 === 0 ? 20 : 14))];
    const sized = historySizedRules(history(perWeek, ['MUG', 'BAG', 'CARD', 'BOX']))!;
    expect(sized.basis.weeks).toBe(26);
    expect(sized.basis.launches).toBe(perWeek.slice(4).reduce((a, b) => a + b, 0));
    expect(sized.maxLaunchesPerWeek).toBe(20);
    // ~4 per category a week: each busy category gets its own 4-week cadence well above 2.
    expect(sized.cadence.map((c) => c.category)).toEqual(['BAG', 'BOX', 'CARD', 'MUG']);
    for (const c of sized.cadence) expect(c.maxLaunches).toBeGreaterThanOrEqual(14);
    expect(sized.note).toMatch(/^sized from the history: 400 launches in 26 weeks .* at most 20 launches a week/);
  });

  it('never goes below the fixed defaults for a shop that launches less than they allow', () => {
    const sized = historySizedRules(history([5, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0], ['MUG', 'BAG']))!;
    expect(sized.maxLaunchesPerWeek).toBe(3);
    expect(sized.defaultCadence).toEqual({ maxLaunches: 2, windowWeeks: 4 });
    expect(sized.cadence).toEqual([]);
  });

  it('counts only the last lookback weeks', () => {
    const perWeek = [0, 0, 0, 0, ...Array(60).fill(30), ...Array(52).fill(2)];
    expect(historySizedRules(history(perWeek, ['A']))!.basis).toMatchObject({ weeks: 52, launchesPerWeek: 2 });
  });

  it('gives nothing to size from without launches or with too short a history', () => {
    expect(historySizedRules([])).toBeUndefined();
    expect(historySizedRules(history([3, 1, 1, 1, 2, 2], ['A']))).toBeUndefined();
  });
});
