import { describe, expect, it } from 'vitest';
import { clashPenaltyByWeek, clashProbability, estimateClashGame, nashEquilibria, pureNash, selectEquilibrium, solveZeroSum } from './game.js';

const neg = (a: number[][]) => a.map((r) => r.map((v) => -v));
const close = (u: number[], v: number[]) => u.every((x, i) => Math.abs(x - v[i]) < 1e-9);

describe('bimatrix equilibria', () => {
  it('matching pennies has only the mixed (1/2, 1/2) equilibrium', () => {
    const a = [
      [1, -1],
      [-1, 1],
    ];
    expect(pureNash(a, neg(a))).toEqual([]);
    const eqs = nashEquilibria(a, neg(a));
    expect(eqs).toHaveLength(1);
    expect(close(eqs[0].row, [0.5, 0.5])).toBe(true);
    expect(close(eqs[0].col, [0.5, 0.5])).toBe(true);
    expect(eqs[0].rowPayoff).toBeCloseTo(0, 12);
  });

  it("prisoner's dilemma has the single pure equilibrium defect/defect", () => {
    // Strategies: 0 = cooperate, 1 = defect.
    const a = [
      [3, 0],
      [5, 1],
    ];
    const b = [
      [3, 5],
      [0, 1],
    ];
    const eqs = nashEquilibria(a, b);
    expect(eqs).toHaveLength(1);
    expect(eqs[0].pure).toBe(true);
    expect(eqs[0].row).toEqual([0, 1]);
    expect(eqs[0].col).toEqual([0, 1]);
  });

  it('rock-paper-scissors has the uniform mixed equilibrium', () => {
    const a = [
      [0, -1, 1],
      [1, 0, -1],
      [-1, 1, 0],
    ];
    const eqs = nashEquilibria(a, neg(a));
    expect(eqs).toHaveLength(1);
    expect(close(eqs[0].row, [1 / 3, 1 / 3, 1 / 3])).toBe(true);
  });

  it('a non-symmetric zero-sum 3x3 game has the hand-solved mixed equilibrium', () => {
    // Indifference equations solved by hand: y = (1/4, 11/20, 1/5), x = (1/5, 11/20, 1/4), value 1/20.
    const a = [
      [0, -1, 3],
      [1, 0, -1],
      [-2, 1, 0],
    ];
    const eqs = nashEquilibria(a, neg(a));
    expect(eqs).toHaveLength(1);
    expect(close(eqs[0].row, [0.2, 0.55, 0.25])).toBe(true);
    expect(close(eqs[0].col, [0.25, 0.55, 0.2])).toBe(true);
    expect(eqs[0].rowPayoff).toBeCloseTo(0.05, 12);
  });

  it("finds all three equilibria of von Stengel's 3x2 example", () => {
    // von Stengel (2002), Handbook of Game Theory vol. 3, ch. 45, the 3x2 example game.
    const a = [
      [3, 3],
      [2, 5],
      [0, 6],
    ];
    const b = [
      [3, 2],
      [2, 6],
      [3, 1],
    ];
    const eqs = nashEquilibria(a, b);
    expect(eqs).toHaveLength(3);
    const has = (x: number[], y: number[]) => eqs.some((e) => close(e.row, x) && close(e.col, y));
    expect(has([1, 0, 0], [1, 0])).toBe(true);
    expect(has([0.8, 0.2, 0], [2 / 3, 1 / 3])).toBe(true);
    expect(has([0, 1 / 3, 2 / 3], [1 / 3, 2 / 3])).toBe(true);
  });
});

describe('zero-sum LP', () => {
  it('gives the minimax value and strategies of the non-symmetric 3x3 game', async () => {
    const r = await solveZeroSum([
      [0, -1, 3],
      [1, 0, -1],
      [-2, 1, 0],
    ]);
    expect(r.value).toBeCloseTo(0.05, 7);
    expect(close(r.row.map((v) => Math.round(v * 1e7) / 1e7), [0.2, 0.55, 0.25])).toBe(true);
    expect(close(r.col.map((v) => Math.round(v * 1e7) / 1e7), [0.25, 0.55, 0.2])).toBe(true);
  });

  it('gives value 0 for matching pennies', async () => {
    const r = await solveZeroSum([
      [1, -1],
      [-1, 1],
    ]);
    expect(r.value).toBeCloseTo(0, 9);
  });
});

describe('clash game from history', () => {
  const history = [
    { ourSlot: 0, theirSlot: 3, ourOutcome: 100 },
    { ourSlot: 1, theirSlot: 1, ourOutcome: 60 },
    { ourSlot: 2, theirSlot: null, ourOutcome: 140 },
    { ourSlot: 3, theirSlot: 0, ourOutcome: 120 },
    { ourSlot: 2, theirSlot: 3, ourOutcome: 84 },
  ];

  it('estimates the clash loss from clashed vs unclashed launches', () => {
    const g = estimateClashGame(history, 4, 1);
    // Unclashed mean (100 + 140 + 120) / 3 = 120, clashed (60 + 84) / 2 = 72 -> loss 0.4.
    expect(g.clashLoss).toBeCloseTo(0.4, 12);
    expect(g.base).toEqual([100, 120, 140, 120]);
    expect(g.a[2][2]).toBeCloseTo(140 * 0.6, 9);
    expect(g.a[2][0]).toBe(140);
    expect(g.b[1][2]).toBe(g.a[2][1]);
  });

  it('turns the equilibrium into a clash penalty per week', () => {
    const g = estimateClashGame(history, 4, 1);
    const eq = selectEquilibrium(nashEquilibria(g.a, g.b), 1);
    const pen = clashPenaltyByWeek({ competitorMix: eq.col, k: 1, lossPerClash: 1000, weeks: 6 });
    expect(pen).toHaveLength(6);
    for (let w = 0; w < 4; w++) expect(pen[w]).toBeCloseTo(clashProbability(eq.col, w, 1) * 1000, 9);
    expect(pen[5]).toBe(0);
    // Equilibria of this anti-coordination game keep the players apart.
    expect(eq.row.reduce((s, x, i) => s + x * clashProbability(eq.col, i, 1), 0)).toBeLessThan(1);
  });
});
