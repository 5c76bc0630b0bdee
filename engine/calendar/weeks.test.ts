import { describe, expect, it } from 'vitest';
import { addWeeks, isMonday, mondayOf, nearestMonday, weekdayIndex, weeksBetween, yearFraction } from './weeks.js';

describe('weeks', () => {
  it('knows Mondays and the Monday of any date', () => {
    expect(isMonday('2026-11-23')).toBe(true);
    expect(isMonday('2024-03-06')).toBe(false);
    expect(weekdayIndex('2024-03-06')).toBe(2);
    expect(mondayOf('2024-03-06')).toBe('2024-03-04');
    expect(mondayOf('2024-03-10')).toBe('2024-03-04');
    expect(nearestMonday('2024-03-09')).toBe('2024-03-11');
  });

  it('rejects impossible dates', () => {
    expect(isMonday('2024-02-30')).toBe(false);
    expect(() => mondayOf('2024-13-01')).toThrow(RangeError);
  });

  it('adds and counts weeks across years', () => {
    expect(addWeeks('2025-12-29', 1)).toBe('2026-01-05');
    expect(weeksBetween('2023-11-06', '2026-11-23')).toBe(159);
    expect(yearFraction('2026-01-05')).toBeLessThan(0.03);
  });
});
