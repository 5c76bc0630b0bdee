/**
 * Calendar multipliers per category and week: how much a week sells relative to an average
 * week of the same category (season × festivals × promotions × trend). The planner multiplies
 * a candidate's base launch curve by these to value each possible launch week.
 *
 * Seasonality is classical ratio-to-moving-average decomposition (Makridakis, Wheelwright &
 * Hyndman, Forecasting, 3rd ed., ch. 4) by ISO week of year, lightly smoothed; recurring
 * festivals (618, Double 11, Black Friday) fall in the same weeks each year, so they are in it.
 * One-off promotions add an uplift estimated from past promotion weeks' residual ratios.
 */
import { addWeeks, isoWeekOfYear, weeksBetween } from '../calendar/index.js';

export interface WeeklyTotal {
  week: string;
  units: number;
}

export interface PromotionWindow {
  category: string | null;
  startWeek: string;
  endWeek: string;
  /** Recurring festivals are already in the seasonal index and get no extra uplift. */
  recurring: boolean;
}

export interface MultiplierResult {
  values: number[];
  seasonal: number[];
  promoUplift: number;
  weeklyGrowth: number;
}

const MAX_UPLIFT = 3;

/**
 * Seasonal index by ISO week of year (1..53), mean 1 over weeks 1..52. Weeks in `exclude`
 * (one-off promotions) do not vote, or a single promotion would look like a season.
 */
export function seasonalIndex(series: WeeklyTotal[], exclude: Set<string> = new Set()): number[] {
  const idx = new Array<number>(54).fill(1);
  if (series.length < 60) return idx;
  const y = series.map((s) => s.units);
  const ratios: number[][] = Array.from({ length: 54 }, () => []);
  // Centred 2×52 moving average: the trend-cycle without the yearly pattern.
  for (let t = 26; t < y.length - 26; t++) {
    let sum = 0;
    for (let k = t - 26; k <= t + 26; k++) sum += k === t - 26 || k === t + 26 ? y[k] / 2 : y[k];
    const ma = sum / 52;
    if (ma > 0 && !exclude.has(series[t].week)) ratios[isoWeekOfYear(series[t].week)].push(y[t] / ma);
  }
  const raw = ratios.map((r) => (r.length ? r.reduce((a, b) => a + b, 0) / r.length : NaN));
  for (let w = 1; w <= 53; w++) if (!Number.isFinite(raw[w])) raw[w] = 1;
  // Light smoothing against noise, keeping festival spikes (weights 1-4-1).
  for (let w = 1; w <= 52; w++) {
    const prev = raw[w === 1 ? 52 : w - 1];
    const next = raw[w === 52 ? 1 : w + 1];
    idx[w] = (prev + 4 * raw[w] + next) / 6;
  }
  idx[53] = idx[52];
  const mean = idx.slice(1, 53).reduce((a, b) => a + b, 0) / 52;
  return idx.map((v) => (mean > 0 ? v / mean : 1));
}

/** Year-over-year growth per week from the last 13 weeks vs the same weeks a year before. */
export function weeklyGrowth(series: WeeklyTotal[]): number {
  const n = series.length;
  if (n < 65) return 1;
  const recent = series.slice(n - 13).reduce((a, s) => a + s.units, 0);
  const before = series.slice(n - 65, n - 52).reduce((a, s) => a + s.units, 0);
  if (!(recent > 0 && before > 0)) return 1;
  const yoy = Math.min(2, Math.max(0.5, recent / before));
  return Math.pow(yoy, 1 / 52);
}

/** Average ratio of actual to seasonal expectation in past one-off promotion weeks. */
export function promotionUplift(series: WeeklyTotal[], seasonal: number[], promoWeeks: Set<string>): number {
  if (promoWeeks.size === 0 || series.length < 8) return 1;
  const ratios: number[] = [];
  for (let t = 4; t < series.length; t++) {
    if (!promoWeeks.has(series[t].week)) continue;
    // Baseline: the mean of the 4 weeks before, deseasonalised, re-seasonalised to this week.
    let base = 0;
    for (let k = t - 4; k < t; k++) base += series[k].units / seasonal[isoWeekOfYear(series[k].week)];
    base = (base / 4) * seasonal[isoWeekOfYear(series[t].week)];
    if (base > 0) ratios.push(series[t].units / base);
  }
  if (ratios.length === 0) return 1;
  ratios.sort((a, b) => a - b);
  const median = ratios[Math.floor(ratios.length / 2)];
  return Math.min(MAX_UPLIFT, Math.max(1, median));
}

/**
 * Multipliers for `weeks` (consecutive ISO Mondays) of one category, relative to an average
 * week at the first planning week's level.
 */
export function categoryMultipliers(input: {
  category: string;
  history: WeeklyTotal[];
  promotions: PromotionWindow[];
  weeks: string[];
}): MultiplierResult {
  const mine = input.promotions.filter((p) => !p.recurring && (p.category === null || p.category === input.category));
  const inPromo = (week: string) => mine.some((p) => week >= p.startWeek && week <= p.endWeek);
  const pastPromoWeeks = new Set(input.history.map((h) => h.week).filter(inPromo));
  const seasonal = seasonalIndex(input.history, pastPromoWeeks);
  const growth = weeklyGrowth(input.history);
  const uplift = promotionUplift(input.history, seasonal, pastPromoWeeks);
  const first = input.weeks[0];
  const values = input.weeks.map((week) => {
    const s = seasonal[isoWeekOfYear(week)];
    const trend = Math.pow(growth, first ? weeksBetween(first, week) : 0);
    return s * trend * (inPromo(week) ? uplift : 1);
  });
  return { values, seasonal, promoUplift: uplift, weeklyGrowth: growth };
}

export { addWeeks };
