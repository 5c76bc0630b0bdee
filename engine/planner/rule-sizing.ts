/**
 * Launch-rate rules sized from a shop's own history. The scope rules' fixed defaults (3 launches
 * a week, 2 per category in 4 weeks) suit a scope that launches ~80 products in 26 weeks; a
 * shop that launches 14 a week would have its best sellers blocked by them. Pure: the import
 * computes these for a new scope from the products' launch weeks and stores them as its rules.
 */
import { addWeeks, weeksBetween } from '../calendar/index.js';

export interface HistoryLaunch {
  category: string;
  /** ISO Monday of the product's first week on sale. */
  week: string;
}

export interface SizedLaunchRules {
  maxLaunchesPerWeek: number;
  defaultCadence: { maxLaunches: number; windowWeeks: number };
  cadence: Array<{ category: string; maxLaunches: number; windowWeeks: number }>;
  /** What the sizes were measured on, for the scope's rules and the import's report. */
  basis: { weeks: number; from: string; to: string; launches: number; launchesPerWeek: number; busyWeek: number };
  /** One sentence saying what was sized and from what. */
  note: string;
}

export interface SizingOptions {
  /** Weeks at the start of the history whose "launches" are products already on sale (default 4). */
  warmUpWeeks?: number;
  /** Only the most recent weeks count (default 52). */
  lookbackWeeks?: number;
  /** Cadence window (default 4, the scope rules' default). */
  windowWeeks?: number;
  /** A category gets its own cadence entry from this many launches in the basis (default 6). */
  minCategoryLaunches?: number;
  /** Which quantile of the weekly (per-window) counts becomes the limit (default 0.9). */
  quantile?: number;
  /** Never below the fixed defaults: sizing only widens rules a busy shop outgrows. */
  floor?: { maxLaunchesPerWeek: number; defaultCadence: number };
}

function quantile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

/**
 * Sizes maxLaunchesPerWeek and the cadence from the launch counts per week and per category
 * window: the limit is the `quantile` of the history's own counts (a busy week of the shop stays
 * allowed, a burst beyond anything it has done is not). Undefined when the history has fewer
 * than 4 weeks after the warm-up or no launch in them.
 */
export function historySizedRules(launches: readonly HistoryLaunch[], o: SizingOptions = {}): SizedLaunchRules | undefined {
  const warmUp = o.warmUpWeeks ?? 4;
  const lookback = o.lookbackWeeks ?? 52;
  const windowWeeks = o.windowWeeks ?? 4;
  const minCat = o.minCategoryLaunches ?? 6;
  const q = o.quantile ?? 0.9;
  const floor = o.floor ?? { maxLaunchesPerWeek: 3, defaultCadence: 2 };
  if (launches.length === 0) return undefined;
  const weeks = launches.map((l) => l.week).sort();
  const first = addWeeks(weeks[0], warmUp);
  const last = weeks[weeks.length - 1];
  const from = weeksBetween(first, last) + 1 > lookback ? addWeeks(last, -(lookback - 1)) : first;
  const span = weeksBetween(from, last) + 1;
  if (span < 4) return undefined;
  const basis = launches.filter((l) => l.week >= from && l.week <= last);
  if (basis.length === 0) return undefined;

  const perWeek = new Array<number>(span).fill(0);
  const perCategory = new Map<string, number[]>();
  for (const l of basis) {
    const w = weeksBetween(from, l.week);
    perWeek[w]++;
    const c = perCategory.get(l.category) ?? perCategory.set(l.category, new Array<number>(span).fill(0)).get(l.category)!;
    c[w]++;
  }
  // Launches in every window of `windowWeeks` consecutive weeks (sliding, as the cadence rule counts them).
  const windows = (counts: number[]) => {
    const out: number[] = [];
    for (let s = 0; s + windowWeeks <= counts.length; s++) out.push(counts.slice(s, s + windowWeeks).reduce((a, b) => a + b, 0));
    return out.length ? out : [counts.reduce((a, b) => a + b, 0)];
  };
  const busyWeek = Math.ceil(quantile(perWeek, q));
  const maxLaunchesPerWeek = Math.max(floor.maxLaunchesPerWeek, busyWeek);
  const cadence: SizedLaunchRules['cadence'] = [];
  const pooled: number[] = [];
  for (const [category, counts] of [...perCategory.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const total = counts.reduce((a, b) => a + b, 0);
    const w = windows(counts);
    if (total >= minCat) {
      const limit = Math.max(floor.defaultCadence, Math.ceil(quantile(w, q)));
      if (limit > floor.defaultCadence) cadence.push({ category, maxLaunches: Math.min(limit, maxLaunchesPerWeek * windowWeeks), windowWeeks });
    } else pooled.push(...w.filter((n) => n > 0));
  }
  const defaultMax = Math.max(floor.defaultCadence, Math.ceil(quantile(pooled, q)));
  const launchesPerWeek = basis.length / span;
  const round1 = (v: number) => Math.round(v * 10) / 10;
  return {
    maxLaunchesPerWeek,
    defaultCadence: { maxLaunches: defaultMax, windowWeeks },
    cadence,
    basis: { weeks: span, from, to: last, launches: basis.length, launchesPerWeek: round1(launchesPerWeek), busyWeek },
    note:
      `sized from the history: ${basis.length} launches in ${span} weeks (${from} to ${last}, ${round1(launchesPerWeek)} a week, ` +
      `${Math.round(q * 100)}th percentile week ${busyWeek}) → at most ${maxLaunchesPerWeek} launches a week, ` +
      `${defaultMax} per category in ${windowWeeks} weeks` +
      (cadence.length ? ` (${cadence.length} busier categor${cadence.length === 1 ? 'y' : 'ies'} their own: ${cadence.slice(0, 3).map((c) => `${c.category} ${c.maxLaunches}`).join(', ')}${cadence.length > 3 ? ', …' : ''})` : ''),
  };
}
