/**
 * The launch-planning MILP as plain sparse data (rows in CSR), independent of the solver.
 *
 *   max  sum_{c,w} v[c,w] x[c,w]  -  sum_{g,t} (pen_g / G) e[g,t]
 *   s.t. sum_w x[c,w] <= 1  (= 1 for must-launch)                     one launch per candidate
 *        sum_{c} x[c,w] <= cap_w - fixed_w                            launches per week
 *        y[k,w] = sum_{c in k} x[c,w]                                 category-week counts
 *        sum_{w in [s, s+K-1]} y[k,w] <= n_k - fixed                  cadence, every window
 *        z[g,w] = sum_{c in g} x[c,w]                                 group-week counts
 *        sum_{w in [s, s+gap-1]} z[g,w] <= 1 - fixed                  min gap between similar SKUs
 *        sum_{w in (t-G, t]} z[g,w] - e[g,t] <= 1                     cannibalisation excess (windows
 *                                                                     holding a fixed launch: pen/G on z)
 *        sum_{c,w} spend[c,w,month] x[c,w] <= budget - fixed          monthly budget (opening in the
 *                                                                     launch month; with replenishment
 *                                                                     planned reorders in their order months)
 *        sum_{w <= t < w+H} onHand[c,w,t-w] x[c,w] <= cap_t - base_t  warehouse (rows added lazily)
 *        x binary; y, z, e >= 0 continuous (integral whenever x is)
 * Every "- fixed" right-hand side is max(0, limit - fixed): a row the fixed (launched /
 * committed) items alone already overfill takes no new launch, and the plan warns about it
 * (each rule's `fixedBreaches`) instead of being infeasible.
 * Launch windows, lead times and promotion deadlines are in the variable set itself: x[c,w]
 * exists only for allowed weeks. The aggregated y and z keep the window rules at
 * O(categories x W x K + groups x W x gap) nonzeros instead of O(C x W x K), which is what lets
 * 5,000 candidates x 52 weeks stay small (about C x W x 3 nonzeros plus the warehouse rows).
 *
 * The rule rows come from the rules' own files (rules/, registry order); this file owns the x
 * columns, the one-per-candidate rows, the shared count columns y and z and the elastic slacks.
 *
 * With `elastic`, every rule row gets a penalised slack (the feasibility relaxation used to
 * explain infeasible scenarios) and the objective only minimises the weighted slack.
 */
import type { LaunchOption, PlannerModel } from './model.js';
import { rules } from './rules/index.js';
import type { FormulationContext, RuleId, SparseRow } from './rules/rule.js';

export type { RowFamily, RowMeta, SparseRow } from './rules/rule.js';

export interface Formulation {
  numCols: number;
  colCost: number[];
  colLower: number[];
  colUpper: number[];
  /** 1 = integer (binary with bounds 0..1), 0 = continuous. */
  integrality: number[];
  colNames: string[];
  rows: SparseRow[];
  /** x columns 0..nX-1 map to these options. */
  xOption: LaunchOption[];
  nX: number;
  /** Slack column of each elastic row (elastic only), with its row. */
  slacks: { col: number; row: number }[];
  /** Column index of y[cat][w] and z[g][w] (`${cat}:${w}`, `${g}:${w}`), for warm starts. */
  yCol: Map<string, number>;
  zCol: Map<string, number>;
}

export interface BuildOptions {
  /**
   * Rows to include of the rules with lazily generated rows, by rule id ('all' or a set of row
   * keys, e.g. warehouse weeks); a rule not named gets all its rows.
   */
  lazyRows?: ReadonlyMap<RuleId, 'all' | Set<number>>;
  /** Shorthand for `lazyRows` of the warehouse rule (week indices). */
  warehouseWeeks?: 'all' | Set<number>;
  elastic?: boolean;
  /**
   * The launch options that get a column, per candidate (default: all of m.options). Used by the
   * pricing loop (relaxation.ts) and the restricted MIPs; rows only cover the columns present.
   */
  columns?: LaunchOption[][];
}

const INF = Infinity;

export function buildFormulation(m: PlannerModel, opts: BuildOptions): Formulation {
  const colCost: number[] = [];
  const colLower: number[] = [];
  const colUpper: number[] = [];
  const integrality: number[] = [];
  const colNames: string[] = [];
  const rows: SparseRow[] = [];
  const elastic = opts.elastic === true;
  const addCol = (name: string, cost: number, lo: number, hi: number, int: number) => {
    colNames.push(name);
    colCost.push(cost);
    colLower.push(lo);
    colUpper.push(hi);
    integrality.push(int);
    return colNames.length - 1;
  };

  // x columns, grouped by candidate then week; per-week / per-cat / per-group lists.
  const xOption: LaunchOption[] = [];
  const byWeek: number[][] = Array.from({ length: m.W }, () => []);
  // Options with non-positive value are left out for optional candidates: every rule is a
  // packing rule and cannibalisation only grows with launches, so such a launch never helps.
  const colsOf: number[][] = m.options.map(() => []);
  (opts.columns ?? m.options).forEach((list, c) => {
    const optional = !m.candidates[c].mustLaunch;
    for (const o of list) {
      if (optional && !elastic && o.value <= 0) continue;
      const j = addCol(`x_${o.c}_${o.w}`, elastic ? 0 : o.value, 0, 1, 1);
      xOption.push(o);
      byWeek[o.w].push(j);
      colsOf[c].push(j);
    }
  });
  const nX = xOption.length;
  // x columns per (category, week) and (group, week), built in one pass.
  const byCatWeek = new Map<string, number[]>();
  const byGroupWeek = new Map<string, number[]>();
  xOption.forEach((o, k) => {
    const ck = `${m.catOf[o.c]}:${o.w}`;
    const gk = `${m.groupOf[o.c]}:${o.w}`;
    (byCatWeek.get(ck) ?? byCatWeek.set(ck, []).get(ck)!).push(k);
    (byGroupWeek.get(gk) ?? byGroupWeek.set(gk, []).get(gk)!).push(k);
  });

  // Constants from fixed (launched / committed) items.
  const fixedList = m.fixed.filter((f): f is LaunchOption => f !== null);
  const fixedIn = (pred: (f: LaunchOption) => boolean, a: number, b: number) =>
    fixedList.filter((f) => pred(f) && f.w >= a && f.w <= b).length;

  // One launch per candidate.
  m.options.forEach((_, c) => {
    const idx = colsOf[c];
    const must = m.candidates[c].mustLaunch === true && !m.fixed[c];
    if (idx.length === 0) {
      if (must) rows.push({ lo: 1, hi: 1, idx: [], val: [], meta: { family: 'must-launch', c } });
      return;
    }
    rows.push({ lo: must ? 1 : -INF, hi: 1, idx, val: idx.map(() => 1), meta: { family: must ? 'must-launch' : 'one-per-candidate', c } });
  });

  // Category-week counts y, made when a rule first asks for them.
  const yCol = new Map<string, number>();
  const categoryCounts = (cats: Iterable<number>) => {
    for (const cat of cats) {
      for (let w = 0; w < m.W; w++) {
        const xs = byCatWeek.get(`${cat}:${w}`);
        if (!xs || yCol.has(`${cat}:${w}`)) continue;
        const y = addCol(`y_${cat}_${w}`, 0, 0, INF, 0);
        yCol.set(`${cat}:${w}`, y);
        rows.push({ lo: 0, hi: 0, idx: [y, ...xs], val: [1, ...xs.map(() => -1)], meta: { family: 'category-link', cat, w } });
      }
    }
    return yCol;
  };
  const lazyRows = opts.lazyRows ?? (opts.warehouseWeeks !== undefined ? new Map<RuleId, 'all' | Set<number>>([['warehouse', opts.warehouseWeeks]]) : undefined);
  const ctx: FormulationContext = {
    m,
    elastic,
    addCol,
    colCost,
    rows,
    xOption,
    byWeek,
    byCatWeek,
    byGroupWeek,
    fixed: fixedList,
    fixedIn,
    categoryCounts,
    subset: 'all',
  };

  // Rules in registry order. Group-window rules share the group-week counts z and are added
  // together, group by group (the group's z columns and link rows, then each rule's rows), at
  // the place of the first of them.
  const zCol = new Map<string, number>();
  const groupRules = rules.filter((r) => r.scope === 'group');
  let groupsDone = false;
  for (const rule of rules) {
    ctx.subset = lazyRows?.get(rule.id) ?? 'all';
    if (rule.scope !== 'group') {
      rule.formulate?.(ctx);
      continue;
    }
    if (groupsDone) continue;
    groupsDone = true;
    if (!groupRules.some((r) => r.active(m))) continue;
    const members = new Array<number>(m.groups.length).fill(0);
    m.groupOf.forEach((g) => (members[g] += 1));
    for (let g = 0; g < m.groups.length; g++) {
      // A group of one never has two launches in a window.
      if (members[g] < 2) continue;
      for (let w = 0; w < m.W; w++) {
        const xs = byGroupWeek.get(`${g}:${w}`);
        if (!xs) continue;
        const z = addCol(`z_${g}_${w}`, 0, 0, INF, 0);
        zCol.set(`${g}:${w}`, z);
        rows.push({ lo: 0, hi: 0, idx: [z, ...xs], val: [1, ...xs.map(() => -1)], meta: { family: 'group-link', g, w } });
      }
      const zIn = (a: number, b: number) => {
        const idx: number[] = [];
        for (let w = Math.max(0, a); w <= Math.min(m.W - 1, b); w++) {
          const z = zCol.get(`${g}:${w}`);
          if (z !== undefined) idx.push(z);
        }
        return idx;
      };
      for (const r of groupRules) {
        ctx.subset = lazyRows?.get(r.id) ?? 'all';
        r.formulateGroup?.(ctx, { g, zIn });
      }
    }
  }

  // Elastic: a slack on each rule row (never on the link rows, which are definitions).
  const slacks: Formulation['slacks'] = [];
  if (elastic) {
    const weight = new Map(rules.map((r) => [r.id as string, r.slackWeight?.(xOption) ?? 1]));
    rows.forEach((r, ri) => {
      const f = r.meta.family;
      if (f === 'category-link' || f === 'group-link' || f === 'one-per-candidate') return;
      // Weights make one unit of slack cost about one launch in every family.
      const s = addCol(`s_${ri}`, f === 'must-launch' ? 10 : weight.get(f) ?? 1, 0, INF, 0);
      slacks.push({ col: s, row: ri });
      r.idx.push(s);
      // must-launch rows are "= 1": the slack may only make up a missing launch.
      r.val.push(f === 'must-launch' ? 1 : -1);
    });
  }

  return { numCols: colNames.length, colCost, colLower, colUpper, integrality, colNames, rows, xOption, nX, slacks, yCol, zCol };
}

/** A full column vector for a set of chosen x columns (y, z, e filled consistently). */
export function completeSolution(f: Formulation, m: PlannerModel, chosen: Set<number>): number[] {
  const col = new Array<number>(f.numCols).fill(0);
  for (const k of chosen) col[k] = 1;
  for (const k of chosen) {
    const o = f.xOption[k];
    const y = f.yCol.get(`${m.catOf[o.c]}:${o.w}`);
    if (y !== undefined) col[y] += 1;
    const z = f.zCol.get(`${m.groupOf[o.c]}:${o.w}`);
    if (z !== undefined) col[z] += 1;
  }
  for (const rule of rules) rule.completeSolution?.(f.rows, col);
  return col;
}
