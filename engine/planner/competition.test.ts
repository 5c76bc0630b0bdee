import { describe, expect, it } from 'vitest';
import { addWeeks } from '../calendar/index.js';
import { clashPenaltyForCategory } from './competition.js';

describe('clash penalty from launch history', () => {
  const start = '2024-01-01';
  // Our launches every 6 weeks; competitor launches cluster in slots 10-11 (weeks ~40-47).
  const ours = Array.from({ length: 24 }, (_, i) => addWeeks(start, i * 6));
  const theirs = ours.filter((w, i) => i % 2 === 0).map((w) => addWeeks(w, 1));
  const clashedUnits = 60;
  const freeUnits = 100;

  it('estimates the loss of a clash and charges it where the competitor is likely or announced', () => {
    const history = {
      ours: ours.map((week, i) => ({ week, units: i % 2 === 0 ? clashedUnits : freeUnits })),
      theirs: [...theirs, '2026-12-14'],
    };
    const r = clashPenaltyForCategory({ history, startWeek: '2026-11-30', weeks: 8, asOf: '2026-11-23', windowWeeks: 1, marginPerLaunch: 1000 });
    expect(r.clashLoss).toBeCloseTo(1 - clashedUnits / freeUnits, 6);
    expect(r.announced).toBe(1);
    // Weeks within one week of the announced 2026-12-14 launch carry the full penalty.
    expect(r.values[1]).toBeCloseTo(400, 6);
    expect(r.values[2]).toBeCloseTo(400, 6);
    expect(r.values[3]).toBeCloseTo(400, 6);
    expect(r.values.every((v) => v >= 0 && v <= 400)).toBe(true);
    expect(r.competitorMix.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });

  it('charges nothing when clashes did not hurt or history is too thin', () => {
    const same = clashPenaltyForCategory({
      history: { ours: ours.map((week) => ({ week, units: 80 })), theirs },
      startWeek: '2026-11-30', weeks: 4, asOf: '2026-11-23', windowWeeks: 1, marginPerLaunch: 1000,
    });
    expect(same.values).toEqual([0, 0, 0, 0]);
    const thin = clashPenaltyForCategory({
      history: { ours: ours.slice(0, 2).map((week) => ({ week, units: 80 })), theirs },
      startWeek: '2026-11-30', weeks: 4, asOf: '2026-11-23', windowWeeks: 1, marginPerLaunch: 1000,
    });
    expect(thin.values).toEqual([0, 0, 0, 0]);
  });
});
