/**
 * Known-ahead weekly covariates of a launch: promotions, festivals, market indicators — what a
 * merchandiser knows about the launch weeks when the forecast is made. The cold-start model
 * reads each covariate at every step of the launch curve (week launch + s), so a promotion in
 * week 3 lifts week 3 and a launch into a festival sells like one.
 *
 * Rows are generic: `{ week, name, value, match? }`. A row applies to every item whose
 * attributes equal all of `match` (none = the whole shop); where several rows of a name apply
 * to one item-week, the largest value counts (two overlapping promotions: the deeper discount).
 *
 * Two kinds of covariate, told apart by name:
 * - a *series* (a market indicator, named `indicator:<name>`) is read as it was known when the
 *   launch was planned: the latest value published at or before min(week, as-of week), so a
 *   lagged or monthly publication carries forward, and no launch sees an indicator from after
 *   its launch week (training and backtests read what a real forecast would have had);
 * - an *event* (promotion discount, festival flag, anything else) is 0 in every week without a
 *   row: promotions and festivals are planned ahead, so every step reads its own week.
 */
import { addWeeks, weekDiff } from './history.js';
import type { AttributeValue } from './types.js';

export interface CovariateRow {
  /** ISO Monday. */
  week: string;
  name: string;
  value: number;
  /** Attribute values an item must have for the row to apply (absent or empty: every item). */
  match?: Record<string, string>;
}

export type CovariateFill = 'last' | 'zero';

/** Series covariates carry their last value forward; see the module comment. */
export const SERIES_PREFIX = 'indicator:';

export function fillOf(name: string): CovariateFill {
  return name.startsWith(SERIES_PREFIX) ? 'last' : 'zero';
}

interface ByWeek {
  /** Week index (vs the table's start) → rows of that week. */
  rows: Map<number, Array<{ value: number; match: Array<[string, string]> }>>;
  /** Week indexes that have rows, ascending (for the series' last-value fill). */
  weeks: number[];
}

export class CovariateTable {
  readonly names: string[];
  private readonly byName = new Map<string, ByWeek>();

  /** @param start the history's first week (week index 0) */
  constructor(
    rows: readonly CovariateRow[],
    start: string,
  ) {
    rows.forEach((r, i) => {
      if (r.name.trim() === '') throw new RangeError(`covariate row ${i + 1}: the name is empty`);
      if (!Number.isFinite(r.value)) throw new RangeError(`covariate row ${i + 1} (${r.name}, ${r.week}): value ${r.value} is not a finite number`);
      let t: number;
      try {
        t = weekDiff(start, r.week);
      } catch {
        throw new RangeError(`covariate row ${i + 1} (${r.name}): week "${r.week}" is not a date YYYY-MM-DD`);
      }
      // weekDiff rounds: a Tuesday would silently count as the Monday before or after.
      if (addWeeks(start, t) !== r.week) throw new RangeError(`covariate row ${i + 1} (${r.name}): week ${r.week} is not a Monday (weeks start on Monday)`);
      let b = this.byName.get(r.name);
      if (b === undefined) this.byName.set(r.name, (b = { rows: new Map(), weeks: [] }));
      const match = Object.entries(r.match ?? {}).filter(([, v]) => v !== '');
      const list = b.rows.get(t) ?? b.rows.set(t, []).get(t)!;
      list.push({ value: r.value, match });
    });
    for (const b of this.byName.values()) b.weeks = [...b.rows.keys()].sort((x, y) => x - y);
    this.names = [...this.byName.keys()].sort();
  }

  fill(name: string): CovariateFill {
    return fillOf(name);
  }

  /** Columns the rows match on (each must be an attribute of the catalogue). */
  matchColumns(): string[] {
    const out = new Set<string>();
    for (const b of this.byName.values()) for (const list of b.rows.values()) for (const r of list) for (const [c] of r.match) out.add(c);
    return [...out].sort();
  }

  /**
   * Value of `name` for an item with `attributes` in week index `t` (vs the table's start).
   * A series reads the latest matching row at or before min(t, asOf) (asOf defaults to t; the
   * first matching row when none is that early); an event reads week t's rows or 0.
   */
  value(name: string, attributes: Record<string, AttributeValue>, t: number, asOf = t): number {
    const b = this.byName.get(name);
    if (b === undefined) return 0;
    if (fillOf(name) === 'zero') return matching(b.rows.get(t), attributes) ?? 0;
    const w = b.weeks;
    // Last week index ≤ min(t, asOf) (binary search), then back to one with a matching row.
    const until = Math.min(t, asOf);
    let lo = 0;
    let hi = w.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (w[mid] <= until) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    for (let k = at; k >= 0; k--) {
      const v = matching(b.rows.get(w[k]), attributes);
      if (v !== undefined) return v;
    }
    for (let k = at + 1; k < w.length; k++) {
      const v = matching(b.rows.get(w[k]), attributes);
      if (v !== undefined) return v;
    }
    return 0;
  }

  /**
   * What the network reads of `name` for step week t of a launch known through `asOf`: an
   * event's own-week value, or a series' *momentum* at the as-of week, its last known value
   * relative to its mean over the `window` weeks before (0 = level with its recent past). A
   * trending indicator's raw level at the forecast date lies beyond every level the training
   * launches saw, and a multiplicative effect extrapolates that without bound (the simulate
   * runs gave launch curves +59% too high); its momentum stays in the range training covered.
   */
  reading(name: string, attributes: Record<string, AttributeValue>, t: number, asOf: number, window = 26): number {
    if (fillOf(name) === 'zero') return this.value(name, attributes, t, asOf);
    const last = this.value(name, attributes, asOf, asOf);
    let sum = 0;
    for (let k = 1; k <= window; k++) sum += this.value(name, attributes, asOf - k, asOf - k);
    const mean = sum / window;
    return mean !== 0 && Number.isFinite(mean) ? last / mean - 1 : 0;
  }

  /** reading() for the `horizon` steps of a launch at week t; a series' momentum is computed once. */
  readings(name: string, attributes: Record<string, AttributeValue>, t: number, asOf: number, horizon: number): number[] {
    if (fillOf(name) === 'last') return new Array<number>(horizon).fill(this.reading(name, attributes, t, asOf));
    return Array.from({ length: horizon }, (_, st) => this.reading(name, attributes, t + st, asOf));
  }
}

/**
 * The largest value among the rows whose match the item satisfies. A numeric attribute matches
 * by value (a calendar cell "1.50" matches price 1.5), anything else by its text.
 */
function matching(rows: ReadonlyArray<{ value: number; match: Array<[string, string]> }> | undefined, attributes: Record<string, AttributeValue>): number | undefined {
  let best: number | undefined;
  for (const r of rows ?? []) {
    const ok = r.match.every(([c, v]) => {
      const a = attributes[c];
      return typeof a === 'number' ? v.trim() !== '' && Number(v) === a : String(a ?? '') === v;
    });
    if (ok) best = best === undefined ? r.value : Math.max(best, r.value);
  }
  return best;
}

/** A promotion or festival as the database and the synthetic data hold it. */
export interface PromotionWindowRow {
  category?: string | null;
  region?: string;
  startWeek: string;
  endWeek: string;
  /** Absent: 0 (a festival without a discount). */
  discount?: number;
  /** 'festival' or anything else (a promotion); absent: a promotion. */
  kind?: string;
}

/**
 * Promotions and festivals as covariates: `discount` (the deepest discount running in the
 * week) and `festival` (1 in a festival's weeks). Rows match the promotion's category where
 * it has one, and its region when `matchRegion` names the items' region attribute (a catalogue
 * whose items span regions); otherwise callers pass only the scope's region's promotions.
 */
export function promotionCovariates(promotions: readonly PromotionWindowRow[], o: { matchRegion?: string } = {}): CovariateRow[] {
  const out: CovariateRow[] = [];
  for (const p of promotions) {
    if (p.endWeek < p.startWeek) throw new RangeError(`promotion ${p.kind ?? ''} ${p.startWeek}..${p.endWeek}: ends before it starts`);
    const discount = p.discount ?? 0;
    const match: Record<string, string> = {};
    if (p.category) match.category = p.category;
    if (o.matchRegion && p.region) match[o.matchRegion] = p.region;
    for (let w = p.startWeek; w <= p.endWeek; w = addWeeks(w, 1)) {
      if (discount > 0) out.push({ week: w, name: 'discount', value: discount, match });
      if (p.kind === 'festival') out.push({ week: w, name: 'festival', value: 1, match });
    }
  }
  return out;
}

/** Market indicators as shop-wide series covariates named `indicator:<name>`. */
export function indicatorCovariates(indicators: ReadonlyArray<{ name: string; week: string; value: number }>): CovariateRow[] {
  return indicators.map((i) => ({ week: i.week, name: `${SERIES_PREFIX}${i.name}`, value: i.value }));
}
