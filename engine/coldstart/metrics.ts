/** Cold-start accuracy: WAPE and bias over candidate-weeks, and WAPE of per-candidate totals. */

export interface LaunchMetrics {
  /** Σ|f − a| / Σa over all candidate-weeks. */
  wape: number;
  /** Σ(f − a) / Σa: negative = forecasts too low. */
  bias: number;
  /** WAPE of each candidate's total over the horizon (what opening stock depends on). */
  totalWape: number;
  points: number;
}

/**
 * `forecast` and `actual` map item id → per-step values (step 1 first). Items missing from
 * the forecast count as zero forecasts; steps beyond the actual's length are ignored.
 */
export function launchMetrics(forecast: Map<string, number[]>, actual: Map<string, number[]>): LaunchMetrics {
  let absErr = 0;
  let err = 0;
  let sumA = 0;
  let totAbsErr = 0;
  let points = 0;
  for (const [id, a] of actual) {
    const f = forecast.get(id) ?? [];
    let tf = 0;
    let ta = 0;
    for (let s = 0; s < a.length; s++) {
      const fv = f[s] ?? 0;
      absErr += Math.abs(fv - a[s]);
      err += fv - a[s];
      sumA += a[s];
      tf += fv;
      ta += a[s];
      points++;
    }
    totAbsErr += Math.abs(tf - ta);
  }
  const d = sumA > 0 ? sumA : Number.NaN;
  return { wape: absErr / d, bias: err / d, totalWape: totAbsErr / d, points };
}

/** Groups long rows (item, step, value) into per-item arrays indexed by step − 1. */
export function toCurves(rows: Array<{ itemId: string; step: number; value: number }>): Map<string, number[]> {
  const m = new Map<string, number[]>();
  for (const r of rows) {
    let a = m.get(r.itemId);
    if (!a) m.set(r.itemId, (a = []));
    a[r.step - 1] = r.value;
  }
  for (const a of m.values()) for (let i = 0; i < a.length; i++) a[i] ??= 0;
  return m;
}
