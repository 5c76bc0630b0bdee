/**
 * Unit-root tests that choose the differencing orders, as forecast::ndiffs / nsdiffs.
 */

/**
 * KPSS level-stationarity statistic (Kwiatkowski, Phillips, Schmidt & Shin 1992), with the
 * Bartlett-window long-run variance and lag truncation ℓ = ⌊3√n / 13⌋ (Hobijn, Franses & Ooms
 * 2004), as forecast::ndiffs calls urca::ur.kpss(type = "mu", use.lag = trunc(3*sqrt(n)/13)).
 */
export function kpssStatistic(x: ArrayLike<number>): number {
  const n = x.length;
  let mean = 0;
  for (let t = 0; t < n; t++) mean += x[t];
  mean /= n;
  const e = new Float64Array(n);
  for (let t = 0; t < n; t++) e[t] = x[t] - mean;
  let S = 0;
  let eta = 0;
  let s2 = 0;
  for (let t = 0; t < n; t++) {
    S += e[t];
    eta += S * S;
    s2 += e[t] * e[t];
  }
  eta /= n * n;
  s2 /= n;
  const lags = Math.trunc((3 * Math.sqrt(n)) / 13);
  let lr = s2;
  for (let l = 1; l <= lags; l++) {
    let c = 0;
    for (let t = l; t < n; t++) c += e[t] * e[t - l];
    lr += (2 / n) * (1 - l / (lags + 1)) * c;
  }
  return eta / lr;
}

/** KPSS (level) critical values at 10%, 5%, 2.5%, 1% (Kwiatkowski et al. 1992, Table 1). */
const KPSS_CRIT = [0.347, 0.463, 0.574, 0.739];
const KPSS_P = [0.1, 0.05, 0.025, 0.01];

/** p-value interpolated in the critical-value table and clamped to [0.01, 0.1], as ndiffs. */
export function kpssPValue(stat: number): number {
  if (stat <= KPSS_CRIT[0]) return KPSS_P[0];
  if (stat >= KPSS_CRIT[3]) return KPSS_P[3];
  for (let i = 0; i < 3; i++) {
    if (stat <= KPSS_CRIT[i + 1]) {
      const f = (stat - KPSS_CRIT[i]) / (KPSS_CRIT[i + 1] - KPSS_CRIT[i]);
      return KPSS_P[i] + f * (KPSS_P[i + 1] - KPSS_P[i]);
    }
  }
  return KPSS_P[3];
}

export function isConstant(x: ArrayLike<number>): boolean {
  for (let t = 1; t < x.length; t++) if (x[t] !== x[0]) return false;
  return true;
}

/** Number of first differences needed for level stationarity by repeated KPSS tests (forecast::ndiffs). */
export function ndiffs(x: ArrayLike<number>, alpha = 0.05, maxD = 2): number {
  let cur = Float64Array.from(x as ArrayLike<number>);
  if (isConstant(cur) || cur.length < 3) return 0;
  let d = 0;
  while (d < maxD && cur.length > 3 && kpssPValue(kpssStatistic(cur)) < alpha) {
    d++;
    const next = new Float64Array(cur.length - 1);
    for (let t = 1; t < cur.length; t++) next[t - 1] = cur[t] - cur[t - 1];
    cur = next;
    if (isConstant(cur)) return d;
  }
  return d;
}

/**
 * Strength of seasonality F_S = max(0, 1 − Var(R)/Var(S + R)) (Wang, Smith & Hyndman 2006) from
 * a classical additive decomposition (centred moving-average trend, mean seasonal pattern).
 * forecast::nsdiffs(test = "seas") uses an STL decomposition; the classical one is cheaper and
 * close for the regular seasonal patterns where D matters.
 */
export function seasonalStrength(x: ArrayLike<number>, m: number): number {
  const n = x.length;
  if (m < 2 || n < 2 * m) return 0;
  const half = Math.floor(m / 2);
  const trend = new Float64Array(n).fill(NaN);
  for (let t = half; t < n - half; t++) {
    let s = 0;
    if (m % 2 === 0) {
      s += 0.5 * x[t - half] + 0.5 * x[t + half];
      for (let i = -half + 1; i < half; i++) s += x[t + i];
    } else {
      for (let i = -half; i <= half; i++) s += x[t + i];
    }
    trend[t] = s / m;
  }
  const sums = new Float64Array(m);
  const counts = new Float64Array(m);
  for (let t = 0; t < n; t++) {
    if (Number.isNaN(trend[t])) continue;
    sums[t % m] += x[t] - trend[t];
    counts[t % m]++;
  }
  const season = Array.from(sums, (s, i) => (counts[i] > 0 ? s / counts[i] : 0));
  const smean = season.reduce((a, b) => a + b, 0) / m;
  const detr: number[] = [];
  const rem: number[] = [];
  for (let t = 0; t < n; t++) {
    if (Number.isNaN(trend[t])) continue;
    const sv = season[t % m] - smean;
    detr.push(x[t] - trend[t]);
    rem.push(x[t] - trend[t] - sv);
  }
  const vr = variance(rem);
  const vd = variance(detr);
  if (!(vd > 0)) return 0;
  return Math.max(0, 1 - vr / vd);
}

function variance(v: readonly number[]): number {
  const n = v.length;
  if (n < 2) return 0;
  const mean = v.reduce((a, b) => a + b, 0) / n;
  let s = 0;
  for (const x of v) s += (x - mean) * (x - mean);
  return s / (n - 1);
}

/** Seasonal differences (0 or 1): D = 1 when the seasonal strength exceeds 0.64 (forecast::nsdiffs). */
export function nsdiffs(x: ArrayLike<number>, m: number): number {
  if (m < 2 || x.length < 2 * m + 1 || isConstant(x)) return 0;
  return seasonalStrength(x, m) > 0.64 ? 1 : 0;
}
