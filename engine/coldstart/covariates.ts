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
 * Two kinds of covariate, told apart by the rows themselves:
 * - a *series* (a market indicator) has a shop-wide row in at least 90% of the history's weeks;
 *   a week without a row takes the latest earlier value (an indicator is not 0 after its last
 *   publication, it is unknown, and the last value is the best guess);
 * - an *event* (promotion discount, festival flag) is 0 in every week without a row.
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

interface ByWeek {
  fill: CovariateFill;
  /** Week index (vs the table's start) → rows of that week. */
  rows: Map<number, Array<{ value: number; match: Array<[string, string]> }>>;
  /** Shop-wide rows' week indexes, ascending (for the series' last-value fill). */
  shopWeeks: number[];
}

export class CovariateTable {
  readonly names: string[];
  private readonly byName = new Map<string, ByWeek>();

  /**
   * @param start the history's first week (week index 0)
   * @param historyWeeks weeks in the history (for telling series from events)
   */
  constructor(
    rows: readonly CovariateRow[],
    private readonly start: string,
    historyWeeks: number,
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
      if (b === undefined) this.byName.set(r.name, (b = { fill: 'zero', rows: new Map(), shopWeeks: [] }));
      const match = Object.entries(r.match ?? {}).filter(([, v]) => v !== '');
      const list = b.rows.get(t) ?? b.rows.set(t, []).get(t)!;
      list.push({ value: r.value, match });
      if (match.length === 0) b.shopWeeks.push(t);
    });
    for (const b of this.byName.values()) {
      b.shopWeeks = [...new Set(b.shopWeeks)].sort((x, y) => x - y);
      const inHistory = b.shopWeeks.filter((t) => t >= 0 && t < historyWeeks).length;
      b.fill = historyWeeks > 0 && inHistory >= 0.9 * historyWeeks ? 'last' : 'zero';
    }
    this.names = [...this.byName.keys()].sort();
  }

  fill(name: string): CovariateFill {
    return this.byName.get(name)?.fill ?? 'zero';
  }

  /** Columns the rows match on (each must be an attribute of the catalogue). */
  matchColumns(): string[] {
    const out = new Set<string>();
    for (const b of this.byName.values()) for (const list of b.rows.values()) for (const r of list) for (const [c] of r.match) out.add(c);
    return [...out].sort();
  }

  /** Value of `name` for an item with `attributes` in week index `t` (vs the table's start). */
  value(name: string, attributes: Record<string, AttributeValue>, t: number): number {
    const b = this.byName.get(name);
    if (b === undefined) return 0;
    let best: number | undefined;
    for (const r of b.rows.get(t) ?? [])
      if (r.match.every(([c, v]) => String(attributes[c] ?? '') === v)) best = best === undefined ? r.value : Math.max(best, r.value);
    if (best !== undefined) return best;
    if (b.fill === 'zero') return 0;
    // Latest shop-wide row at or before t (binary search); before the first, the first.
    const w = b.shopWeeks;
    let lo = 0;
    let hi = w.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (w[mid] <= t) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const week = w[Math.max(0, at)];
    return Math.max(...(b.rows.get(week) ?? []).filter((r) => r.match.length === 0).map((r) => r.value));
  }

  /** ISO week of index t (for messages). */
  weekOf(t: number): string {
    return addWeeks(this.start, t);
  }
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
  return indicators.map((i) => ({ week: i.week, name: `indicator:${i.name}`, value: i.value }));
}
