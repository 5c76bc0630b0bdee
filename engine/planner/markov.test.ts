import { describe, expect, it } from 'vitest';
import { coverState, estimateFromCover, estimateTransitions, hitWithin, kStep, stationary, stockoutWithinByState } from './markov.js';

describe('Markov transition estimate', () => {
  // Transitions: 0->1, 1->2, 2->2, 2->3 | 2->2, 2->1, 1->0, 0->0.
  const seqs = [
    [0, 1, 2, 2, 3],
    [2, 2, 1, 0, 0],
  ];

  it('is counts over row sums', () => {
    const { matrix, counts } = estimateTransitions(seqs);
    expect(counts[2]).toEqual([0, 1, 2, 1]);
    expect(matrix[0]).toEqual([0.5, 0.5, 0, 0]);
    expect(matrix[1]).toEqual([0.5, 0, 0.5, 0]);
    expect(matrix[2]).toEqual([0, 0.25, 0.5, 0.25]);
  });

  it('fills a never-left state with the pooled next-state distribution', () => {
    const { matrix, unseenRows } = estimateTransitions(seqs);
    expect(unseenRows).toEqual([3]);
    // Next states over all 8 transitions: 0 x2, 1 x2, 2 x3, 3 x1.
    expect(matrix[3]).toEqual([0.25, 0.25, 0.375, 0.125]);
    expect(estimateTransitions(seqs, { unseenRow: 'stay' }).matrix[3]).toEqual([0, 0, 0, 1]);
  });

  it('applies Laplace smoothing when asked', () => {
    const { matrix } = estimateTransitions(seqs, { smoothing: 1 });
    expect(matrix[0]).toEqual([2 / 6, 2 / 6, 1 / 6, 1 / 6]);
  });

  it('classifies weeks of cover into the four states', () => {
    const t = { lowWeeks: 2, overstockWeeks: 8 };
    expect([0, 1.5, 2, 8, 8.5].map((c) => coverState(c, t))).toEqual([0, 1, 2, 2, 3]);
    expect(estimateFromCover([[0, 1.5, 4, 4, 9]], t).counts[2]).toEqual([0, 0, 1, 1]);
  });
});

describe('stock-out probabilities', () => {
  const p = estimateTransitions([
    [0, 1, 2, 2, 3],
    [2, 2, 1, 0, 0],
  ]).matrix;

  it('match the first-passage sums by hand', () => {
    // From low: stock-out next week 0.5; else healthy (0.5), which cannot reach 0 in one step.
    // Healthy reaches 0 within two steps via low (0.25 x 0.5) or overstock (0.25 x 0.25, the
    // pooled row), so by week 3: 0.5 + 0.5 x (0.125 + 0.0625) = 0.59375.
    expect(hitWithin(p, 1, 1)).toBeCloseTo(0.5, 12);
    expect(hitWithin(p, 2, 1)).toBeCloseTo(0.5, 12);
    expect(hitWithin(p, 3, 1)).toBeCloseTo(0.59375, 12);
    expect(hitWithin(p, 5, 0)).toBe(1);
  });

  it('equal 1 - (1 - q)^k for a two-state chain', () => {
    const two = [
      [1, 0],
      [0.2, 0.8],
    ];
    for (const k of [1, 3, 10]) expect(hitWithin(two, k, 1)).toBeCloseTo(1 - 0.8 ** k, 12);
  });

  it('by state are a vector of first-passage probabilities, non-decreasing in k', () => {
    const k2 = stockoutWithinByState(p, 2);
    const k6 = stockoutWithinByState(p, 6);
    expect(k2[0]).toBe(1);
    k2.forEach((v, i) => expect(k6[i]).toBeGreaterThanOrEqual(v - 1e-12));
  });

  it('k-step matrices are stochastic', () => {
    for (const row of kStep(p, 7)) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});

describe('stationary distribution', () => {
  it('solves pi P = pi for a two-state chain: (b, a) / (a + b)', () => {
    const a = 0.3;
    const b = 0.1;
    const pi = stationary([
      [1 - a, a],
      [b, 1 - b],
    ]);
    expect(pi[0]).toBeCloseTo(b / (a + b), 12);
    expect(pi[1]).toBeCloseTo(a / (a + b), 12);
  });

  it('returns a valid invariant distribution for a reducible chain', () => {
    const p = [
      [1, 0, 0],
      [0, 1, 0],
      [0.5, 0.25, 0.25],
    ];
    const pi = stationary(p);
    expect(pi.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 9);
    const next = [0, 1, 2].map((j) => pi.reduce((s, v, i) => s + v * p[i][j], 0));
    next.forEach((v, j) => expect(v).toBeCloseTo(pi[j], 9));
    // From uniform: state 2 leaks 2/3 : 1/3 into states 0 and 1, so pi = (1/3 + 2/9, 1/3 + 1/9, 0).
    expect(pi[0]).toBeCloseTo(5 / 9, 9);
    expect(pi[1]).toBeCloseTo(4 / 9, 9);
  });
});
