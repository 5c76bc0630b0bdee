import { describe, expect, it } from 'vitest';
import { delistAge, lifeCycle, rampShare, type LaunchCurve } from './curves.js';
import { createRng, stream } from './random.js';

const curve: LaunchCurve = { peak: 100, rampWeeks: 4, rampShape: 1.5, plateauWeeks: 10, decayRate: 0.05, hype: 0 };

describe('launch curve', () => {
  it('ramps up, holds a plateau, then decays', () => {
    const levels = Array.from({ length: 40 }, (_, age) => lifeCycle(curve, age));
    expect(lifeCycle(curve, -1)).toBe(0);
    for (let a = 1; a < 4; a++) expect(levels[a]).toBeGreaterThan(levels[a - 1]);
    for (let a = 4; a < 14; a++) expect(levels[a]).toBe(1);
    for (let a = 15; a < 40; a++) expect(levels[a]).toBeLessThan(levels[a - 1]);
    expect(lifeCycle(curve, delistAge(curve))).toBeLessThanOrEqual(0.05);
  });

  it('adds a fading launch spike for hyped items', () => {
    const hyped = { ...curve, hype: 0.6 };
    expect(lifeCycle(hyped, 0)).toBeCloseTo(lifeCycle(curve, 0) + 0.6);
    expect(lifeCycle(hyped, 10) - lifeCycle(curve, 10)).toBeLessThan(0.01);
  });

  it('spreads a newcomer’s cannibalisation over its ramp', () => {
    expect(rampShare(curve, -1)).toBe(0);
    expect(rampShare(curve, 0)).toBeCloseTo(0.2);
    expect(rampShare(curve, 10)).toBe(1);
  });
});

describe('random streams', () => {
  it('are reproducible and independent by label', () => {
    const a = Array.from({ length: 5 }, () => stream(1, 'x').next());
    expect(new Set(a).size).toBe(1);
    expect(stream(1, 'x').next()).not.toBe(stream(1, 'y').next());
    expect(stream(1, 'x').next()).not.toBe(stream(2, 'x').next());
  });

  it('draw counts with the requested mean', () => {
    const rng = createRng(99);
    const n = 20_000;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += rng.negBinomial(30, 12);
    expect(sum / n).toBeGreaterThan(29);
    expect(sum / n).toBeLessThan(31);
    let small = 0;
    for (let i = 0; i < n; i++) small += rng.poisson(0.7);
    expect(small / n).toBeCloseTo(0.7, 1);
  });
});
