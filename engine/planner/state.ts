/**
 * Plan bookkeeping for a set of launches: incremental checks for the greedy heuristic and the
 * rationale ("week X was blocked by the cadence"), and an independent from-scratch checker
 * (`checkPlan`) used to verify every plan the planner returns, whichever method made it. The
 * state keeps the launch counts per week, category-week and group-week that several rules read;
 * each rule's check (and any resource it tracks, e.g. budget spent) lives in its file (rules/).
 */
import type { Launch, LaunchOption, PlannerModel } from './model.js';
import { weekDate } from './model.js';
import { rules } from './rules/index.js';
import type { Block, PlanCounts, RuleTracker, Violation } from './rules/rule.js';

export type { Violation } from './rules/rule.js';
export { fmt, plural } from './rules/rule.js';
export { cannibalisation } from './rules/cannibalisation.js';

export class PlanState implements PlanCounts {
  readonly chosen: (LaunchOption | null)[];
  readonly perWeek: Int32Array;
  /** Launch counts per category / group and week, weeks offset by `lo` (fixed items may be < 0). */
  readonly catWeek: Int32Array[];
  readonly groupWeek: Int32Array[];
  readonly lo: number;
  readonly span: number;
  private readonly trackers: RuleTracker[];
  private readonly blockers: RuleTracker[];
  private readonly appliers: RuleTracker[];
  private readonly costs: RuleTracker[];

  constructor(readonly m: PlannerModel) {
    let lo = 0;
    for (const f of m.fixed) if (f) lo = Math.min(lo, f.w);
    this.lo = lo;
    this.span = m.W - lo;
    this.chosen = m.candidates.map(() => null);
    this.perWeek = new Int32Array(m.W);
    this.catWeek = m.categories.map(() => new Int32Array(this.span));
    this.groupWeek = m.groups.map(() => new Int32Array(this.span));
    // Registry order: the greedy's "first rule broken" is the first tracker that blocks.
    this.trackers = rules.flatMap((r) => (r.track ? [r.track(this)] : []));
    this.blockers = this.trackers.filter((t) => t.block);
    this.appliers = this.trackers.filter((t) => t.apply);
    this.costs = this.trackers.filter((t) => t.addedCost);
  }

  /** Count of launches of a category in weeks [a, b] (clipped to the tracked range). */
  catCount(cat: number, a: number, b: number): number {
    const arr = this.catWeek[cat];
    let n = 0;
    for (let w = Math.max(a, this.lo); w <= Math.min(b, this.m.W - 1); w++) n += arr[w - this.lo];
    return n;
  }

  groupCount(g: number, a: number, b: number): number {
    const arr = this.groupWeek[g];
    let n = 0;
    for (let w = Math.max(a, this.lo); w <= Math.min(b, this.m.W - 1); w++) n += arr[w - this.lo];
    return n;
  }

  /** The first rule that adding `o` would break, or null. Ignores o's own current launch. */
  blocker(o: LaunchOption): Violation | null {
    for (const t of this.blockers) {
      const b = t.block!(o);
      if (b) return { rule: b.rule, detail: t.describe ? t.describe(o, b) : b.rule };
    }
    return null;
  }

  /** Whether adding `o` would break a rule (the greedy's hot path: no message built). */
  blocks(o: LaunchOption): boolean {
    return this.firstBlock(o) !== null;
  }

  /** The rule that adding `o` would break first, or null (no message built). */
  blockingRule(o: LaunchOption): Block['rule'] | null {
    return this.firstBlock(o)?.rule ?? null;
  }

  private firstBlock(o: LaunchOption): Block | null {
    for (const t of this.blockers) {
      const b = t.block!(o);
      if (b) return b;
    }
    return null;
  }

  add(o: LaunchOption): void {
    this.chosen[o.c] = o;
    this.apply(o, 1);
  }

  remove(c: number): void {
    const o = this.chosen[c];
    if (!o) return;
    this.chosen[c] = null;
    this.apply(o, -1);
  }

  private apply(o: LaunchOption, sign: 1 | -1): void {
    const m = this.m;
    if (o.w >= 0 && o.w < m.W) this.perWeek[o.w] += sign;
    if (o.w < m.W) {
      this.catWeek[m.catOf[o.c]][o.w - this.lo] += sign;
      this.groupWeek[m.groupOf[o.c]][o.w - this.lo] += sign;
    }
    for (const t of this.appliers) t.apply!(o, sign);
  }

  /** Cost the rules charge for adding `o` (cannibalisation), netted from its value. */
  addedCost(o: LaunchOption): number {
    let x = 0;
    for (const t of this.costs) x += t.addedCost!(o);
    return x;
  }
}

export type { Launch } from './model.js';

/**
 * Rules the fixed (launched / committed) items alone already break in windows touching the
 * horizon, as merchandiser warnings, in registry order. Those rows hold at their fixed load
 * (no new launch adds to them) rather than making the plan infeasible: a replan after a launch
 * went out in another week than planned, or after the rules were tightened, still gets a plan.
 */
export function fixedBreaches(m: PlannerModel): string[] {
  if (!m.fixed.some((f) => f !== null) && !m.baseline.some((x) => x > 0)) return [];
  return rules.flatMap((r) => (r.fixedBreaches && r.active(m) ? r.fixedBreaches(m) : []));
}

/**
 * Independent from-scratch check of every rule for a set of launches (one per candidate at
 * most). Returns all violations; an empty list means the plan is feasible.
 */
export function checkPlan(m: PlannerModel, launches: Launch[]): Violation[] {
  const out: Violation[] = [];
  const s = m.scenario;
  const seen = new Set<number>();
  for (const l of launches) {
    if (seen.has(l.c)) out.push({ rule: 'window', detail: `${m.candidates[l.c].name} is launched twice` });
    seen.add(l.c);
  }
  m.candidates.forEach((c, i) => {
    if (m.fixed[i] && !launches.some((l) => l.c === i && l.w === m.fixed[i]!.w))
      out.push({ rule: 'fixed', detail: `${c.name} is fixed at ${weekDate(s, m.fixed[i]!.w)} but not in the plan` });
    if (c.mustLaunch && !seen.has(i)) out.push({ rule: 'must-launch', detail: `must-launch ${c.name} is not launched` });
  });
  for (const l of launches) {
    const c = m.candidates[l.c];
    if (m.fixed[l.c]) continue;
    if (l.w < Math.max(c.earliestWeek, 0) || l.w > c.latestWeek || l.w >= m.W)
      out.push({ rule: 'window', detail: `${c.name} launches ${weekDate(s, l.w)} outside its window` });
    if (l.w < c.leadTimeWeeks) out.push({ rule: 'lead-time', detail: `${c.name} launches before its lead time allows` });
    for (const pid of m.rides[l.c]) {
      const p = (s.rules.promotions ?? []).find((x) => x.id === pid);
      if (p && l.w > p.week - p.leadWeeks) out.push({ rule: 'promotion', detail: `${c.name} launches too late to ride ${p.name}` });
    }
  }
  for (const rule of rules) if (rule.check) out.push(...rule.check(m, launches));
  return out;
}
