/**
 * Small numeric helpers shared by the forecasters. Pure functions, no dependencies.
 */

/**
 * Standard normal quantile, Wichura's algorithm AS 241 (Applied Statistics 37, 1988), the
 * PPND16 variant: about 1e-16 relative accuracy, which is what R's `qnorm` uses, so interval
 * widths match R's to the printed digits.
 */
export function qnorm(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity;
    if (p === 1) return Infinity;
    return NaN;
  }
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r +
          45921.953931549871457) *
          r +
          13731.693765509461125) *
          r +
          1971.5909503065514427) *
          r +
          133.14166789178437745) *
          r +
          3.387132872796366608)) /
      (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r +
        21213.794301586595867) *
        r +
        5394.1960214247511077) *
        r +
        687.1870074920579083) *
        r +
        42.313330701600911252) *
        r +
        1)
    );
  }
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  let val: number;
  if (r <= 5) {
    r -= 1.6;
    val =
      (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
        1.27045825245236838258) *
        r +
        3.64784832476320460504) *
        r +
        5.7694972214606914055) *
        r +
        4.6303378461565452959) *
        r +
        1.42343711074968357734) /
      (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
        0.14810397642748007459) *
        r +
        0.68976733498510000455) *
        r +
        1.6763848301838038494) *
        r +
        2.05319162663775882187) *
        r +
        1);
  } else {
    r -= 5;
    val =
      (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r +
        0.026532189526576123093) *
        r +
        0.29656057182850489123) *
        r +
        1.7848265399172913358) *
        r +
        5.4637849111641143699) *
        r +
        6.6579046435011037772) /
      (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
        7.868691311456132591e-4) *
        r +
        0.0148753612908506148525) *
        r +
        0.13692988092273580531) *
        r +
        0.59983220655588793769) *
        r +
        1);
  }
  return q < 0 ? -val : val;
}

/** Two-sided normal multiplier for a coverage level in percent (95 -> 1.959964). */
export function zFor(level: number): number {
  return qnorm(0.5 + level / 200);
}

export function mean(x: readonly number[]): number {
  let s = 0;
  for (const v of x) s += v;
  return s / x.length;
}

/** Mean of the finite entries (NaN marks "undefined" in fitted values and residuals). */
export function meanFinite(x: readonly number[]): number {
  let s = 0;
  let n = 0;
  for (const v of x) {
    if (Number.isFinite(v)) {
      s += v;
      n++;
    }
  }
  return n === 0 ? NaN : s / n;
}

/** Sample quantile, R's default type 7 (linear interpolation between order statistics). */
export function quantile(sorted: readonly number[], p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export function median(x: readonly number[]): number {
  return quantile([...x].sort((a, b) => a - b), 0.5);
}

/**
 * Sample autocorrelations r_1..r_maxLag with R's `acf` definition (biased: sums over
 * n - k pairs divided by the full-series sum of squares).
 */
export function acf(x: readonly number[], maxLag: number): number[] {
  const n = x.length;
  const mu = mean(x);
  let denom = 0;
  for (const v of x) denom += (v - mu) * (v - mu);
  const out: number[] = [];
  for (let k = 1; k <= maxLag; k++) {
    let s = 0;
    for (let t = k; t < n; t++) s += (x[t] - mu) * (x[t - k] - mu);
    out.push(denom === 0 ? 0 : s / denom);
  }
  return out;
}

/** True when every value equals the first (within a relative tolerance for float noise). */
export function isConstant(y: readonly number[]): boolean {
  const first = y[0];
  const tol = 1e-12 * Math.max(1, Math.abs(first));
  return y.every((v) => Math.abs(v - first) <= tol);
}
