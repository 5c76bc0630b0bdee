/**
 * Lifts of a policy over a baseline across seeds, and their distribution: median, 10th
 * percentile and a percentile-bootstrap interval of the median (Efron & Tibshirani, "An
 * Introduction to the Bootstrap", ch. 13), seeded so a bench run is reproducible.
 */
import { mulberry32 } from '../math/index.js';
import type { ClosedLoopKpis } from './types.js';

export const LIFT_KPIS = ['sales', 'fillRate', 'turnover', 'margin'] as const;
export type LiftKpi = (typeof LIFT_KPIS)[number];

/**
 * Lifts as fractions: units sold, fill rate and turnover relative ((x - b) / b); margin over
 * |baseline margin| so a loss-making baseline still gives a lift of the right sign.
 */
export function lifts(k: ClosedLoopKpis, base: ClosedLoopKpis): Record<LiftKpi, number> {
  const rel = (x: number, b: number) => (b !== 0 ? (x - b) / Math.abs(b) : x === 0 ? 0 : Math.sign(x) * Infinity);
  return { sales: rel(k.unitsSold, base.unitsSold), fillRate: rel(k.fillRate, base.fillRate), turnover: rel(k.turnover, base.turnover), margin: rel(k.margin, base.margin) };
}

/** Linear-interpolation quantile (R type 7) of the values. */
export function quantile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const xs = [...values].sort((a, b) => a - b);
  const pos = (xs.length - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo);
}

export interface LiftSummary {
  median: number;
  p10: number;
  /** Percentile-bootstrap 90% interval of the median. */
  ci90: [number, number];
  /** Share of seeds with a lift > 0. */
  positiveShare: number;
}

export function summariseLifts(values: readonly number[], options: { resamples?: number; seed?: number } = {}): LiftSummary {
  const B = options.resamples ?? 2000;
  const rng = mulberry32(options.seed ?? 1);
  const medians: number[] = [];
  const n = values.length;
  for (let b = 0; b < B && n > 0; b++) {
    const sample = Array.from({ length: n }, () => values[Math.floor(rng() * n)]);
    medians.push(quantile(sample, 0.5));
  }
  return {
    median: quantile(values, 0.5),
    p10: quantile(values, 0.1),
    ci90: [quantile(medians, 0.05), quantile(medians, 0.95)],
    positiveShare: n > 0 ? values.filter((v) => v > 0).length / n : NaN,
  };
}
