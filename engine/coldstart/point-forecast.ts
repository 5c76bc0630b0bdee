/**
 * Choosing a point forecast from predictive quantiles when both WAPE and bias matter.
 *
 * Minimising Σ E|f_i − a_i| subject to Σ f_i = Σ E[a_i] (unbiased totals) has, by Lagrange,
 * the solution F_i(f_i) = τ for one common level τ: each forecast is the τ-quantile of its
 * own predictive distribution, with τ the level at which the quantiles add up to the means.
 * τ = 0.5 (the median, unconstrained WAPE optimum) when the distributions are symmetric; for
 * zero-heavy, right-skewed weekly sales τ > 0.5. This is the quantile analogue of choosing a
 * single newsvendor critical ratio for a whole assortment.
 */

/**
 * Linear interpolation of the quantile function at level `tau` from quantiles at sorted
 * `levels` (values sorted to remove crossing); flat beyond the outermost levels.
 */
export function quantileAt(levels: readonly number[], values: readonly number[], tau: number): number {
  if (levels.length !== values.length || levels.length === 0) throw new RangeError('levels and values must have the same, non-zero length');
  const v = [...values].sort((a, b) => a - b);
  if (tau <= levels[0]) return v[0];
  for (let k = 1; k < levels.length; k++)
    if (tau <= levels[k]) {
      const f = (tau - levels[k - 1]) / (levels[k] - levels[k - 1]);
      return v[k - 1] + f * (v[k] - v[k - 1]);
    }
  return v[v.length - 1];
}

/**
 * The common level τ in [lo, hi] at which Σ quantileAt(τ) over the points equals Σ mean
 * (bisection; Σ quantileAt is non-decreasing in τ). Clamped to lo or hi when the means'
 * total lies outside what the quantiles in that range reach.
 */
export function unbiasedQuantileLevel(
  levels: readonly number[],
  points: ReadonlyArray<{ quantiles: readonly number[]; mean: number }>,
  range: { lo: number; hi: number } = { lo: levels[0], hi: levels[levels.length - 1] },
): number {
  const target = points.reduce((a, p) => a + p.mean, 0);
  const total = (tau: number): number => points.reduce((a, p) => a + quantileAt(levels, p.quantiles, tau), 0);
  let lo = range.lo;
  let hi = range.hi;
  if (total(lo) >= target) return lo;
  if (total(hi) <= target) return hi;
  for (let it = 0; it < 50; it++) {
    const mid = (lo + hi) / 2;
    if (total(mid) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
