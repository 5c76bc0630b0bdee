/**
 * Inventory-state Markov chain per category, used as the stock-out risk cost of a plan.
 *
 * States by weeks of cover (on hand / expected weekly demand):
 *   0 stock-out (cover <= 0), 1 low (< lowWeeks), 2 healthy (<= overstockWeeks), 3 overstock.
 * The transition matrix is the maximum-likelihood estimate from observed state sequences,
 * P[i][j] = n_ij / sum_j n_ij (Anderson & Goodman 1957). A row never left in the data has no
 * likelihood; we fill it with the pooled distribution of all observed next states (the best
 * guess with no state-specific evidence), or uniform / stay, by option. Optional Laplace
 * smoothing adds alpha to every count first.
 */
import { type Matrix, identity, matMul, matPow, solveLinear } from './linalg.js';

export const STATES = ['stockout', 'low', 'healthy', 'overstock'] as const;
export type InventoryState = (typeof STATES)[number];
export const STOCKOUT = 0;

export interface CoverThresholds {
  lowWeeks: number;
  overstockWeeks: number;
}

/** State index of a weeks-of-cover value. */
export function coverState(cover: number, t: CoverThresholds): number {
  if (!(cover > 0)) return 0;
  if (cover < t.lowWeeks) return 1;
  if (cover <= t.overstockWeeks) return 2;
  return 3;
}

export interface EstimateOptions {
  nStates?: number;
  /** Treatment of rows with no observed transitions (default 'pooled'). */
  unseenRow?: 'pooled' | 'uniform' | 'stay';
  /** Laplace pseudo-count added to every cell of a seen row (default 0: pure MLE). */
  smoothing?: number;
}

export interface TransitionEstimate {
  matrix: Matrix;
  counts: Matrix;
  /** Rows filled by the unseen-row rule. */
  unseenRows: number[];
}

/** MLE transition matrix from sequences of state indices (one sequence per item). */
export function estimateTransitions(sequences: number[][], options: EstimateOptions = {}): TransitionEstimate {
  const n = options.nStates ?? STATES.length;
  const alpha = options.smoothing ?? 0;
  const counts = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (const seq of sequences)
    for (let t = 1; t < seq.length; t++) {
      const i = seq[t - 1];
      const j = seq[t];
      if (!(Number.isInteger(i) && Number.isInteger(j) && i >= 0 && j >= 0 && i < n && j < n))
        throw new RangeError(`estimateTransitions: state out of range 0..${n - 1}: ${i} -> ${j}`);
      counts[i][j] += 1;
    }
  const pooled = new Array<number>(n).fill(0);
  for (const row of counts) row.forEach((v, j) => (pooled[j] += v));
  const pooledTotal = pooled.reduce((a, b) => a + b, 0);
  const unseenRows: number[] = [];
  const matrix = counts.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    if (total > 0) {
      const denom = total + alpha * n;
      return row.map((v) => (v + alpha) / denom);
    }
    unseenRows.push(i);
    const rule = options.unseenRow ?? 'pooled';
    if (rule === 'stay') return row.map((_, j) => (i === j ? 1 : 0));
    if (rule === 'uniform' || pooledTotal === 0) return row.map(() => 1 / n);
    return pooled.map((v) => v / pooledTotal);
  });
  return { matrix, counts, unseenRows };
}

/** Estimate from weeks-of-cover sequences, classifying each value first. */
export function estimateFromCover(covers: number[][], t: CoverThresholds, options: EstimateOptions = {}): TransitionEstimate {
  return estimateTransitions(
    covers.map((s) => s.map((c) => coverState(c, t))),
    options,
  );
}

/** k-step transition probabilities P^k. */
export function kStep(p: Matrix, k: number): Matrix {
  return matPow(p, k);
}

/**
 * Probability of reaching `target` (default stock-out) within k steps from `start`: make the
 * target absorbing, then the answer is (P_abs^k)[start][target] (first passage by step k).
 */
export function hitWithin(p: Matrix, k: number, start: number, target = STOCKOUT): number {
  if (start === target) return 1;
  const abs = p.map((row, i) => (i === target ? row.map((_, j) => (j === target ? 1 : 0)) : [...row]));
  return matPow(abs, k)[start][target];
}

/** Probability of a stock-out within k weeks for every opening state. */
export function stockoutWithinByState(p: Matrix, k: number): number[] {
  const abs = p.map((row, i) => (i === STOCKOUT ? row.map((_, j) => (j === STOCKOUT ? 1 : 0)) : [...row]));
  const pk = matPow(abs, k);
  return pk.map((row) => row[STOCKOUT]);
}

/**
 * Stationary distribution pi with pi P = pi, sum pi = 1. Solves (P^T - I) pi = 0 with one
 * equation replaced by the normalisation. When that system is singular (several closed
 * classes: pi is not unique) we return the limit reached from a uniform opening mix, computed
 * on the lazy chain (P + I) / 2 (same invariant distributions, aperiodic, so its powers
 * converge) by repeated squaring.
 */
export function stationary(p: Matrix): number[] {
  const n = p.length;
  const a: Matrix = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => p[j][i] - (i === j ? 1 : 0)));
  const b = new Array<number>(n).fill(0);
  a[n - 1] = new Array<number>(n).fill(1);
  b[n - 1] = 1;
  const x = solveLinear(a, b, 1e-10);
  if (x && x.every((v) => v > -1e-9)) {
    const clipped = x.map((v) => Math.max(0, v));
    const s = clipped.reduce((u, v) => u + v, 0);
    return clipped.map((v) => v / s);
  }
  let q: Matrix = p.map((row, i) => row.map((v, j) => (v + (i === j ? 1 : 0)) / 2));
  for (let t = 0; t < 60; t++) q = matMul(q, q);
  const pi = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) pi[j] += q[i][j] / n;
  return pi;
}

export { identity };
