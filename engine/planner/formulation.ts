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
 *        sum_{w in month} spend[c,w] x[c,w] <= budget - fixed         opening-stock budget
 *        sum_{w <= t < w+H} onHand[c,w,t-w] x[c,w] <= cap_t - base_t  warehouse (rows added lazily)
 *        x binary; y, z, e >= 0 continuous (integral whenever x is)
 * Launch windows, lead times and promotion deadlines are in the variable set itself: x[c,w]
 * exists only for allowed weeks. The aggregated y and z keep the window rules at
 * O(categories x W x K + groups x W x gap) nonzeros instead of O(C x W x K), which is what lets
 * 5,000 candidates x 52 weeks stay small (about C x W x 3 nonzeros plus the warehouse rows).
 *
 * With `elastic`, every rule row gets a penalised slack (the feasibility relaxation used to
 * explain infeasible scenarios) and the objective only minimises the weighted slack.
 */
import type { LaunchOption, PlannerModel } from './model.js';

export type RowFamily =
  | 'one-per-candidate'
  | 'must-launch'
  | 'launch-capacity'
  | 'category-link'
  | 'cadence'
  | 'group-link'
  | 'similar-gap'
  | 'cannibalisation'
  | 'budget'
  | 'warehouse';

export interface RowMeta {
  family: RowFamily;
  c?: number;
  w?: number;
  cat?: number;
  rule?: number;
  g?: number;
  s?: number;
  e?: number;
  month?: string;
  t?: number;
}

export interface SparseRow {
  lo: number;
  hi: number;
  idx: number[];
  val: number[];
  meta: RowMeta;
}

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
  /** Column index of y[cat][w], z[g][w], e[g][t] (for warm starts). */
  yCol: Map<string, number>;
  zCol: Map<string, number>;
  eCol: { col: number; g: number; t: number }[];
}

export interface BuildOptions {
  /** Warehouse weeks to include as rows ('all' or a set of week indices). */
  warehouseWeeks: 'all' | Set<number>;
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

  // Launch capacity per week.
  for (let w = 0; w < m.W; w++) {
    if (!Number.isFinite(m.capPerWeek[w]) || byWeek[w].length === 0) continue;
    const fixed = fixedList.filter((f) => f.w === w).length;
    rows.push({ lo: -INF, hi: m.capPerWeek[w] - fixed, idx: byWeek[w], val: byWeek[w].map(() => 1), meta: { family: 'launch-capacity', w } });
  }

  // Category-week counts (only for categories with a cadence rule).
  const yCol = new Map<string, number>();
  const cadenceCats = new Set(m.cadence.map((r) => r.cat));
  for (const cat of cadenceCats) {
    for (let w = 0; w < m.W; w++) {
      const xs = byCatWeek.get(`${cat}:${w}`);
      if (!xs) continue;
      const y = addCol(`y_${cat}_${w}`, 0, 0, INF, 0);
      yCol.set(`${cat}:${w}`, y);
      rows.push({ lo: 0, hi: 0, idx: [y, ...xs], val: [1, ...xs.map(() => -1)], meta: { family: 'category-link', cat, w } });
    }
  }
  m.cadence.forEach((r, ri) => {
    for (let s = -(r.windowWeeks - 1); s < m.W; s++) {
      const idx: number[] = [];
      for (let w = Math.max(0, s); w < Math.min(m.W, s + r.windowWeeks); w++) {
        const y = yCol.get(`${r.cat}:${w}`);
        if (y !== undefined) idx.push(y);
      }
      if (idx.length === 0) continue;
      const fixed = fixedIn((f) => m.catOf[f.c] === r.cat, s, s + r.windowWeeks - 1);
      rows.push({ lo: -INF, hi: r.maxLaunches - fixed, idx, val: idx.map(() => 1), meta: { family: 'cadence', cat: r.cat, rule: ri, s, e: s + r.windowWeeks - 1 } });
    }
  });

  // Group-week counts for min gap and cannibalisation (groups with two or more members).
  const zCol = new Map<string, number>();
  const eCol: Formulation['eCol'] = [];
  const needGroups = m.minGap >= 1 || m.cannibal !== null;
  // Cannibalisation cost charged directly on z (windows that hold a fixed launch).
  const zWindowCost = new Map<number, number>();
  if (needGroups) {
    const members = new Array<number>(m.groups.length).fill(0);
    m.groupOf.forEach((g) => (members[g] += 1));
    for (let g = 0; g < m.groups.length; g++) {
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
      if (m.minGap >= 1) {
        for (let s = -(m.minGap - 1); s < m.W; s++) {
          const idx = zIn(s, s + m.minGap - 1);
          if (idx.length === 0) continue;
          const fixed = fixedIn((f) => m.groupOf[f.c] === g, s, s + m.minGap - 1);
          rows.push({ lo: -INF, hi: 1 - fixed, idx, val: idx.map(() => 1), meta: { family: 'similar-gap', g, s, e: s + m.minGap - 1 } });
        }
      }
      const cn = m.cannibal;
      if (cn && cn.penalty[g] > 0 && !elastic) {
        for (let t = 0; t < m.W + cn.window - 1; t++) {
          const idx = zIn(t - cn.window + 1, t);
          if (idx.length === 0) continue;
          const fixed = fixedIn((f) => m.groupOf[f.c] === g, t - cn.window + 1, t);
          if (fixed >= 1) {
            // With a fixed launch in the window the excess n + fixed - 1 is never negative: each
            // launch in it costs pen/G exactly, no row needed. The fixed-only part
            // (fixed - 1) x pen/G is left out of the model (objectiveOffset).
            for (const z of idx) zWindowCost.set(z, (zWindowCost.get(z) ?? 0) + cn.penalty[g] / cn.window);
            continue;
          }
          // With a min gap (z <= 1 per week), a window with one open week never has an excess;
          // without one, two launches in the same week do.
          if (idx.length < 2 && m.minGap >= 1) continue;
          const e = addCol(`e_${g}_${t}`, -cn.penalty[g] / cn.window, 0, INF, 0);
          eCol.push({ col: e, g, t });
          rows.push({ lo: -INF, hi: 1, idx: [...idx, e], val: [...idx.map(() => 1), -1], meta: { family: 'cannibalisation', g, t } });
        }
      }
    }
  }

  if (!elastic) for (const [z, cost] of zWindowCost) colCost[z] -= cost;

  // Monthly opening-stock budget.
  for (const [month, amount] of m.budget) {
    const idx: number[] = [];
    const val: number[] = [];
    xOption.forEach((o, k) => {
      if (m.monthOf(o.w) === month && o.spend > 0) {
        idx.push(k);
        val.push(o.spend);
      }
    });
    if (idx.length === 0) continue;
    const fixed = fixedList.filter((f) => m.monthOf(f.w) === month).reduce((a, f) => a + f.spend, 0);
    rows.push({ lo: -INF, hi: amount - fixed, idx, val, meta: { family: 'budget', month } });
  }

  // Warehouse capacity rows for the requested weeks.
  if (m.warehouseCap) {
    for (let t = 0; t < m.W; t++) {
      if (opts.warehouseWeeks !== 'all' && !opts.warehouseWeeks.has(t)) continue;
      const idx: number[] = [];
      const val: number[] = [];
      xOption.forEach((o, k) => {
        const h = t - o.w;
        if (h >= 0 && h < m.H && o.onHand[h] > 0) {
          idx.push(k);
          val.push(o.onHand[h]);
        }
      });
      if (idx.length === 0) continue;
      let fixed = m.baseline[t];
      for (const f of fixedList) {
        const h = t - f.w;
        if (h >= 0 && h < m.H) fixed += f.onHand[h];
      }
      rows.push({ lo: -INF, hi: m.warehouseCap[t] - fixed, idx, val, meta: { family: 'warehouse', t } });
    }
  }

  // Elastic: a slack on each rule row (never on the link rows, which are definitions).
  const slacks: Formulation['slacks'] = [];
  if (elastic) {
    const spendScale = Math.max(1, mean(xOption.map((o) => o.spend)));
    const qtyScale = Math.max(1, mean(xOption.map((o) => o.onHand[0] ?? 0)));
    rows.forEach((r, ri) => {
      const f = r.meta.family;
      if (f === 'category-link' || f === 'group-link' || f === 'one-per-candidate') return;
      // Weights make one unit of slack cost about one launch in every family.
      const weight = f === 'budget' ? 1 / spendScale : f === 'warehouse' ? 1 / qtyScale : f === 'must-launch' ? 10 : 1;
      const s = addCol(`s_${ri}`, weight, 0, INF, 0);
      slacks.push({ col: s, row: ri });
      r.idx.push(s);
      // must-launch rows are "= 1": the slack may only make up a missing launch.
      r.val.push(f === 'must-launch' ? 1 : -1);
    });
  }

  return { numCols: colNames.length, colCost, colLower, colUpper, integrality, colNames, rows, xOption, nX, slacks, yCol, zCol, eCol };
}

function mean(xs: number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
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
  for (const ri of f.rows.keys()) {
    const r = f.rows[ri];
    if (r.meta.family !== 'cannibalisation') continue;
    let act = 0;
    let eIdx = -1;
    r.idx.forEach((k, p) => {
      if (r.val[p] === -1) eIdx = k;
      else act += col[k];
    });
    if (eIdx >= 0) col[eIdx] = Math.max(0, act - r.hi);
  }
  return col;
}
