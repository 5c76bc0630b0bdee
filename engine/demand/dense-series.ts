import { addWeeks } from '../calendar/index.js';

/**
 * Dense weekly series from sparse sales rows (missing weeks are zero sales). Stock-out weeks
 * are censored (sales < demand), so they are imputed with the larger of the observed units and
 * the median of the last four uncensored weeks, rather than teaching the model a false dip.
 */
export function denseSeries(
  rows: Array<{ week: string; units: number; stockout: boolean }>,
  through: string,
): { start: string; y: number[]; imputed: number } {
  if (rows.length === 0) return { start: through, y: [], imputed: 0 };
  const byWeek = new Map(rows.map((r) => [r.week, r]));
  const y: number[] = [];
  let imputed = 0;
  const recent: number[] = [];
  for (let w = rows[0].week; w <= through; w = addWeeks(w, 1)) {
    const r = byWeek.get(w);
    let v = r ? r.units : 0;
    if (r?.stockout && recent.length > 0) {
      const sorted = [...recent].sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)];
      if (median > v) {
        v = median;
        imputed++;
      }
    } else {
      recent.push(v);
      if (recent.length > 4) recent.shift();
    }
    y.push(v);
  }
  return { start: rows[0].week, y, imputed };
}
