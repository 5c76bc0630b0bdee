/**
 * How strongly the weekly errors of a launch-curve forecast move together.
 *
 * A planner that orders for a coverage period needs the spread of the period's total, but a
 * forecaster gives per-week intervals. With one common correlation rho between any two weeks of
 * a launch, the total of weeks with sds s_1..s_H has variance
 *   V(rho) = (1 - rho) * sum(s_h^2) + rho * (sum s_h)^2,
 * which is linear in rho. Matching sum_i V_i(rho) to the squared errors of the totals of held-out
 * launches (method of moments) gives rho in closed form; it is clipped to [0, 1] (negative
 * values are not an equicorrelation that holds for every H, and above 1 means the per-week sds
 * themselves are too narrow, which `sdScale` reports instead).
 */
export interface LaunchErrors {
  /** Forecast mean per step. */
  mean: ArrayLike<number>;
  /** Forecast sd per step (e.g. (p90 - p10) / 2.563 for an 80% interval). */
  sd: ArrayLike<number>;
  /** Actual units per step. */
  actual: ArrayLike<number>;
}

export interface ErrorCorrelation {
  /** Common correlation of weekly errors within a launch, in [0, 1]; NaN when not measurable. */
  rho: number;
  /** Unclipped moment estimate (diagnostic). */
  rawRho: number;
  /**
   * Factor the per-week sds would need, at rho = 1, to match the observed spread of totals
   * (1 when rho < 1 already fits; > 1 when even fully correlated weeks are too narrow).
   */
  sdScale: number;
  launches: number;
}

/** Fewer held-out launches than this measure nothing (the estimate is NaN). */
export const MIN_LAUNCHES = 5;

export function estimateErrorCorrelation(launches: LaunchErrors[], minLaunches = MIN_LAUNCHES): ErrorCorrelation {
  let e2 = 0;
  let a = 0;
  let b = 0;
  let n = 0;
  launches.forEach((l, i) => {
    const H = l.mean.length;
    if (l.sd.length !== H || l.actual.length !== H) {
      throw new RangeError(`launch ${i}: mean, sd and actual must have the same length (${H}, ${l.sd.length}, ${l.actual.length})`);
    }
    let err = 0;
    let ss = 0;
    let s = 0;
    for (let h = 0; h < H; h++) {
      const m = l.mean[h];
      const sd = l.sd[h];
      const y = l.actual[h];
      if (!Number.isFinite(m) || !Number.isFinite(sd) || !Number.isFinite(y) || sd < 0) {
        throw new RangeError(`launch ${i}, step ${h + 1}: mean, sd and actual must be finite and sd >= 0`);
      }
      err += y - m;
      ss += sd * sd;
      s += sd;
    }
    e2 += err * err;
    a += ss;
    b += s * s;
    n += 1;
  });
  // Too few launches, or no spread to split between shared and independent parts: not measured.
  if (n < minLaunches || b <= a) return { rho: Number.NaN, rawRho: Number.NaN, sdScale: Number.NaN, launches: n };
  const rawRho = (e2 - a) / (b - a);
  const rho = Math.min(1, Math.max(0, rawRho));
  return { rho, rawRho, sdScale: rawRho > 1 ? Math.sqrt(e2 / b) : 1, launches: n };
}
