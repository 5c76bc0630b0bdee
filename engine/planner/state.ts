/**
 * Rule bookkeeping for a set of launches: incremental checks for the greedy heuristic and the
 * rationale ("week X was blocked by the cadence"), and an independent from-scratch checker
 * (`checkPlan`) used to verify every plan the planner returns, whichever method made it.
 */
import type { LaunchOption, PlannerModel } from './model.js';
import { weekDate } from './model.js';
import type { Conflict } from './types.js';

export interface Violation {
  rule: Conflict['rule'];
  detail: string;
}

const EPS = 1e-6;

interface Block {
  rule: 'launch-capacity' | 'cadence' | 'similar-gap' | 'budget' | 'warehouse';
  cadence?: PlannerModel['cadence'][number];
  s?: number;
  n?: number;
  t?: number;
}

export class PlanState {
  readonly chosen: (LaunchOption | null)[];
  readonly perWeek: Int32Array;
  /** Launch counts per category / group and week, weeks offset by `lo` (fixed items may be < 0). */
  readonly catWeek: Int32Array[];
  readonly groupWeek: Int32Array[];
  readonly lo: number;
  readonly span: number;
  readonly budgetUsed = new Map<string, number>();
  readonly load: Float64Array;

  constructor(readonly m: PlannerModel) {
    let lo = 0;
    for (const f of m.fixed) if (f) lo = Math.min(lo, f.w);
    this.lo = lo;
    this.span = m.W - lo;
    this.chosen = m.candidates.map(() => null);
    this.perWeek = new Int32Array(m.W);
    this.catWeek = m.categories.map(() => new Int32Array(this.span));
    this.groupWeek = m.groups.map(() => new Int32Array(this.span));
    this.load = new Float64Array(m.W);
  }

  /** Count of launches of a category in weeks [a, b] (clipped to the tracked range). */
  private catCount(cat: number, a: number, b: number): number {
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
    const b = this.firstBlock(o);
    return b === null ? null : this.describe(o, b);
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
    const m = this.m;
    const { c, w } = o;
    if (w >= 0 && w < m.W && this.perWeek[w] + 1 > m.capPerWeek[w] + EPS) return { rule: 'launch-capacity' };
    for (const r of m.cadence) {
      if (r.cat !== m.catOf[c]) continue;
      for (let s = w - r.windowWeeks + 1; s <= w; s++) {
        const n = this.catCount(r.cat, s, s + r.windowWeeks - 1);
        if (n + 1 > r.maxLaunches) return { rule: 'cadence', cadence: r, s, n };
      }
    }
    if (m.minGap >= 1 && this.groupCount(m.groupOf[c], w - m.minGap + 1, w + m.minGap - 1) > 0) return { rule: 'similar-gap' };
    const cap = m.budget.get(m.monthOf(w));
    if (cap !== undefined && (this.budgetUsed.get(m.monthOf(w)) ?? 0) + o.spend > cap + EPS) return { rule: 'budget' };
    if (m.warehouseCap) {
      for (let h = 0; h < m.H; h++) {
        const t = w + h;
        if (t < 0) continue;
        if (t >= m.W) break;
        if (this.load[t] + m.baseline[t] + o.onHand[h] > m.warehouseCap[t] + EPS) return { rule: 'warehouse', t };
      }
    }
    return null;
  }

  private describe(o: LaunchOption, b: Block): Violation {
    const m = this.m;
    const cand = m.candidates[o.c];
    const date = weekDate(m.scenario, o.w);
    switch (b.rule) {
      case 'launch-capacity':
        return { rule: b.rule, detail: `week ${date} already has ${this.perWeek[o.w]} launches (capacity ${m.capPerWeek[o.w]})` };
      case 'cadence': {
        const r = b.cadence!;
        return {
          rule: 'cadence',
          detail: `the ${cand.category} cadence allows ${r.maxLaunches} launches in any ${r.windowWeeks} weeks and ${weekDate(m.scenario, b.s!)}..${weekDate(m.scenario, b.s! + r.windowWeeks - 1)} already has ${b.n}`,
        };
      }
      case 'similar-gap':
        return { rule: b.rule, detail: `a similar ${cand.group} item launches within ${plural(m.minGap - 1, 'week')} of ${date}` };
      case 'budget': {
        const month = m.monthOf(o.w);
        const cap = m.budget.get(month)!;
        const used = this.budgetUsed.get(month) ?? 0;
        return { rule: b.rule, detail: `the ${month} opening-stock budget of ${fmt(cap)} has ${fmt(Math.max(0, cap - used))} left, the order needs ${fmt(o.spend)}` };
      }
      default:
        return { rule: 'warehouse', detail: `warehouse capacity of ${fmt(m.warehouseCap![b.t!])} units would be exceeded in ${weekDate(m.scenario, b.t!)}` };
    }
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
    const month = m.monthOf(o.w);
    this.budgetUsed.set(month, (this.budgetUsed.get(month) ?? 0) + sign * o.spend);
    for (let h = 0; h < m.H; h++) {
      const t = o.w + h;
      if (t >= 0 && t < m.W) this.load[t] += sign * o.onHand[h];
    }
  }

  /** Increase of the cannibalisation cost if `o` were added. */
  cannibalDelta(o: LaunchOption): number {
    const cn = this.m.cannibal;
    if (!cn) return 0;
    const g = this.m.groupOf[o.c];
    let extra = 0;
    for (let t = o.w; t < o.w + cn.window; t++) if (this.groupCount(g, t - cn.window + 1, t) >= 1) extra += 1;
    return (extra * cn.penalty[g]) / cn.window;
  }
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function fmt(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

export interface Launch {
  c: number;
  w: number;
  option: LaunchOption;
}

/**
 * Cannibalisation cost of a plan: for each group and each g-week window, every launch beyond
 * the first costs penalty/g, so two launches d weeks apart cost penalty x (g - d) / g.
 * Returns the total and each launch's share (a window's cost split evenly over its launches).
 */
export function cannibalisation(m: PlannerModel, launches: Launch[]): { total: number; share: Map<number, number> } {
  const share = new Map<number, number>();
  const cn = m.cannibal;
  if (!cn) return { total: 0, share };
  const byGroup = new Map<number, Launch[]>();
  for (const l of launches) {
    const g = m.groupOf[l.c];
    const list = byGroup.get(g) ?? [];
    list.push(l);
    byGroup.set(g, list);
  }
  let total = 0;
  for (const [g, list] of byGroup) {
    if (list.length < 2) continue;
    const weeks = list.map((l) => l.w);
    const from = Math.min(...weeks);
    const to = Math.max(...weeks) + cn.window - 1;
    for (let t = from; t <= to; t++) {
      const inWin = list.filter((l) => l.w > t - cn.window && l.w <= t);
      if (inWin.length < 2) continue;
      const cost = ((inWin.length - 1) * cn.penalty[g]) / cn.window;
      total += cost;
      for (const l of inWin) share.set(l.c, (share.get(l.c) ?? 0) + cost / inWin.length);
    }
  }
  return { total, share };
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
  for (let w = 0; w < m.W; w++) {
    const n = launches.filter((l) => l.w === w).length;
    if (n > m.capPerWeek[w]) out.push({ rule: 'launch-capacity', detail: `${n} launches in ${weekDate(s, w)}, capacity ${m.capPerWeek[w]}` });
  }
  for (const r of m.cadence) {
    const weeks = launches.filter((l) => m.catOf[l.c] === r.cat).map((l) => l.w);
    if (weeks.length === 0) continue;
    for (let a = Math.min(...weeks); a <= Math.max(...weeks); a++) {
      const n = weeks.filter((w) => w >= a && w < a + r.windowWeeks).length;
      if (n > r.maxLaunches)
        out.push({ rule: 'cadence', detail: `${n} ${m.categories[r.cat]} launches in ${weekDate(s, a)}..${weekDate(s, a + r.windowWeeks - 1)}, cadence allows ${r.maxLaunches}` });
    }
  }
  if (m.minGap >= 1) {
    for (let i = 0; i < launches.length; i++)
      for (let j = i + 1; j < launches.length; j++) {
        const a = launches[i];
        const b = launches[j];
        if (m.groupOf[a.c] === m.groupOf[b.c] && Math.abs(a.w - b.w) < m.minGap)
          out.push({ rule: 'similar-gap', detail: `${m.candidates[a.c].name} and ${m.candidates[b.c].name} launch ${Math.abs(a.w - b.w)} weeks apart, minimum ${m.minGap}` });
      }
  }
  const spend = new Map<string, number>();
  for (const l of launches) spend.set(m.monthOf(l.w), (spend.get(m.monthOf(l.w)) ?? 0) + l.option.spend);
  for (const [month, cap] of m.budget) {
    const used = spend.get(month) ?? 0;
    if (used > cap + EPS) out.push({ rule: 'budget', detail: `${month} opening stock costs ${fmt(used)}, budget ${fmt(cap)}` });
  }
  if (m.warehouseCap) {
    for (let t = 0; t < m.W; t++) {
      let load = m.baseline[t];
      for (const l of launches) {
        const h = t - l.w;
        if (h >= 0 && h < m.H) load += l.option.onHand[h];
      }
      if (load > m.warehouseCap[t] + EPS) out.push({ rule: 'warehouse', detail: `${fmt(load)} units on hand in ${weekDate(s, t)}, capacity ${fmt(m.warehouseCap[t])}` });
    }
  }
  return out;
}
