/**
 * Lagrangian relaxation of the launch MILP: a fast upper bound and priced greedy plans, for
 * models whose LP relaxation the wasm solver cannot finish in time (5,000 x 52: the LP has
 * 148k columns, 101k rows and needs ~15k dual simplex iterations, 30+ s of CPU even natively).
 *
 * Keep "one launch per candidate" and dualize every other rule with multipliers >= 0:
 * launch capacity per week, cadence (every window), similar-item gap (every window), monthly
 * budget, warehouse per week, and cannibalisation "n launches of a group in a G-week window
 * - e <= 1" with 0 <= mu <= pen/G (windows that hold a fixed launch cost pen/G per launch
 * exactly, no multiplier). For any such multipliers
 *   L = sum_r lambda_r rhs_r + sum_c max(0 [must-launch: -inf], max_w rv[c,w]),
 *   rv[c,w] = v[c,w] - (multipliers of every row option (c,w) uses, times its coefficient)
 * is an upper bound on the plan value (Fisher 1981, "The Lagrangian relaxation method for
 * solving integer programming problems"); its minimum over the multipliers equals the LP bound
 * because the kept rows have integral solutions. We minimise L by projected subgradient steps
 * (Polyak step towards the best plan found, Held-Wolfe-Crowder halving of the step factor),
 * with rows scaled so that one launch moves each by about one unit.
 *
 * At iterations 25, 50, 100, ... and at the end the greedy runs with the options ordered by rv instead of value per
 * spend (prices say which weeks and months are scarce), then 1-opt moves polish the plan; the
 * best plan is kept. The bound also gives provably safe fixing: a plan that launches option o
 * is worth at most L - (best_c - rv[o]), so options with L - (best_c - rv[o]) below the
 * incumbent can be left out of any search for a better plan (reduced-cost fixing).
 */
import { improve, runGreedy } from './greedy.js';
import type { LaunchOption, PlannerModel } from './model.js';
import { launchesOf, objectiveOf } from './rationale.js';
import { checkPlan, type Launch } from './state.js';

export interface LagrangianResult {
  /** Upper bound on the plan value (objective total, fixed items included). */
  bound: number;
  /** Best plan found (never worse than the start). */
  plan: Launch[];
  value: number;
  iterations: number;
  seconds: number;
  /** Multipliers at the best bound, for fixing. */
  state: Multipliers;
}

/** Multipliers per rule family, indexed as in `Structure`. */
export interface Multipliers {
  cap: Float64Array;
  cad: Float64Array[];
  gap: Float64Array[];
  can: Float64Array[];
  budget: Float64Array;
  wh: Float64Array;
}

interface Structure {
  W: number;
  K: number[];
  /** rhs per family (already net of fixed launches), same shapes as Multipliers. */
  rhs: Multipliers;
  /** Upper limit of each cannibalisation multiplier (pen/G; 0 for windows holding a fixed launch). */
  canMax: Float64Array[];
  /** Exact cannibalisation cost per launch of group g in week w from windows holding a fixed launch. */
  fixedCan: Float64Array[];
  months: string[];
  monthIdx: Int32Array;
  budgetScale: number;
  whScale: number;
  options: LaunchOption[];
  /** Option data packed in typed arrays (the evaluation loop runs over all options). */
  oc: Int32Array;
  ow: Int32Array;
  ocat: Int32Array;
  og: Int32Array;
  omonth: Int32Array;
  oval: Float64Array;
  ospend: Float64Array;
  /** onHand[h] of option k at k * H + h, 0 past the horizon. */
  ohand: Float64Array;
}

const EPS = 1e-9;
const STALL = 1e-4;

function structure(m: PlannerModel): Structure {
  const W = m.W;
  const fixed = m.fixed.filter((f): f is LaunchOption => f !== null);
  const options: LaunchOption[] = [];
  m.options.forEach((list, c) => {
    for (const o of list) if (m.candidates[c].mustLaunch || o.value > 0) options.push(o);
  });
  const meanOf = (xs: number[]) => (xs.length === 0 ? 1 : Math.max(1e-9, xs.reduce((a, b) => a + b, 0) / xs.length));
  const budgetScale = meanOf(options.map((o) => o.spend));
  const whScale = meanOf(options.map((o) => o.onHand[0] ?? 0));
  const cap = new Float64Array(W);
  for (let w = 0; w < W; w++) cap[w] = Number.isFinite(m.capPerWeek[w]) ? m.capPerWeek[w] - fixed.filter((f) => f.w === w).length : Infinity;
  const K = m.cadence.map((r) => r.windowWeeks);
  const cad = m.cadence.map((r) =>
    Float64Array.from({ length: W + r.windowWeeks - 1 }, (_, i) => {
      const s = i - (r.windowWeeks - 1);
      return r.maxLaunches - fixed.filter((f) => m.catOf[f.c] === r.cat && f.w >= s && f.w < s + r.windowWeeks).length;
    }),
  );
  const gapW = Math.max(0, m.minGap);
  const gap = m.groups.map((_, g) =>
    Float64Array.from({ length: gapW >= 1 ? W + gapW - 1 : 0 }, (_, i) => {
      const s = i - (gapW - 1);
      return 1 - fixed.filter((f) => m.groupOf[f.c] === g && f.w >= s && f.w < s + gapW).length;
    }),
  );
  const G = m.cannibal?.window ?? 0;
  const canMax = m.groups.map(() => new Float64Array(m.cannibal ? W + G - 1 : 0));
  const can = m.groups.map(() => new Float64Array(m.cannibal ? W + G - 1 : 0).fill(1));
  const fixedCan = m.groups.map(() => new Float64Array(W));
  if (m.cannibal) {
    for (let g = 0; g < m.groups.length; g++) {
      for (let t = 0; t < W + G - 1; t++) {
        const nFixed = fixed.filter((f) => m.groupOf[f.c] === g && f.w > t - G && f.w <= t).length;
        const per = m.cannibal.penalty[g] / G;
        if (nFixed >= 1) {
          for (let w = Math.max(0, t - G + 1); w <= Math.min(W - 1, t); w++) fixedCan[g][w] += per;
        } else canMax[g][t] = per;
      }
    }
  }
  const months = [...m.budget.keys()];
  const monthIdx = Int32Array.from({ length: W }, (_, w) => months.indexOf(m.monthOf(w)));
  const budget = Float64Array.from(months, (mo) => (m.budget.get(mo)! - fixed.filter((f) => m.monthOf(f.w) === mo).reduce((a, f) => a + f.spend, 0)) / budgetScale);
  const wh = new Float64Array(W).fill(Infinity);
  if (m.warehouseCap) {
    for (let t = 0; t < W; t++) {
      let load = m.baseline[t];
      for (const f of fixed) if (t - f.w >= 0 && t - f.w < m.H) load += f.onHand[t - f.w];
      wh[t] = (m.warehouseCap[t] - load) / whScale;
    }
  }
  const n = options.length;
  const H = m.H;
  const ohand = new Float64Array(n * H);
  options.forEach((o, k) => {
    for (let h = 0; h < H && o.w + h < W; h++) ohand[k * H + h] = o.onHand[h];
  });
  return {
    W,
    K,
    rhs: { cap, cad, gap, can, budget, wh },
    canMax,
    fixedCan,
    months,
    monthIdx,
    budgetScale,
    whScale,
    options,
    oc: Int32Array.from(options, (o) => o.c),
    ow: Int32Array.from(options, (o) => o.w),
    ocat: Int32Array.from(options, (o) => m.catOf[o.c]),
    og: Int32Array.from(options, (o) => m.groupOf[o.c]),
    omonth: Int32Array.from(options, (o) => monthIdx[o.w]),
    oval: Float64Array.from(options, (o) => o.value),
    ospend: Float64Array.from(options, (o) => o.spend / budgetScale),
    ohand: ohand.map((x) => x / whScale),
  };
}

function zeros(s: Structure): Multipliers {
  return {
    cap: new Float64Array(s.rhs.cap.length),
    cad: s.rhs.cad.map((a) => new Float64Array(a.length)),
    gap: s.rhs.gap.map((a) => new Float64Array(a.length)),
    can: s.rhs.can.map((a) => new Float64Array(a.length)),
    budget: new Float64Array(s.rhs.budget.length),
    wh: new Float64Array(s.rhs.wh.length),
  };
}

/** Price per (category, week) and (group, week) from window multipliers. */
function weekPrices(m: PlannerModel, s: Structure, u: Multipliers): { cat: Float64Array[]; group: Float64Array[] } {
  const W = s.W;
  const cat = m.categories.map(() => new Float64Array(W));
  m.cadence.forEach((r, ri) => {
    const K = r.windowWeeks;
    for (let w = 0; w < W; w++) {
      let p = 0;
      for (let st = w - K + 1; st <= w; st++) p += u.cad[ri][st + K - 1];
      cat[r.cat][w] += p;
    }
  });
  const gapW = m.minGap;
  const G = m.cannibal?.window ?? 0;
  const group = m.groups.map((_, g) => {
    const a = Float64Array.from(s.fixedCan[g]);
    for (let w = 0; w < W; w++) {
      if (gapW >= 1) for (let st = w - gapW + 1; st <= w; st++) a[w] += u.gap[g][st + gapW - 1];
      if (G > 0) for (let t = w; t < w + G; t++) a[w] += u.can[g][t];
    }
    return a;
  });
  return { cat, group };
}

function dot(a: Float64Array, b: Float64Array): number {
  let x = 0;
  for (let i = 0; i < a.length; i++) if (Number.isFinite(b[i])) x += a[i] * b[i];
  return x;
}

interface Evaluation {
  bound: number;
  /** Option index chosen per candidate by the relaxation, -1 for none. */
  choice: Int32Array;
  rv: Float64Array;
}

function evaluate(m: PlannerModel, s: Structure, u: Multipliers, fixedValue: number): Evaluation {
  const wp = weekPrices(m, s, u);
  let bound = fixedValue + dot(u.cap, s.rhs.cap) + dot(u.budget, s.rhs.budget) + dot(u.wh, s.rhs.wh);
  for (let i = 0; i < u.cad.length; i++) bound += dot(u.cad[i], s.rhs.cad[i]);
  for (let g = 0; g < u.gap.length; g++) bound += dot(u.gap[g], s.rhs.gap[g]) + dot(u.can[g], s.rhs.can[g]);
  const n = s.oc.length;
  const H = m.H;
  const rv = new Float64Array(n);
  const best = new Float64Array(m.candidates.length);
  const choice = new Int32Array(m.candidates.length).fill(-1);
  for (let c = 0; c < m.candidates.length; c++) best[c] = m.candidates[c].mustLaunch && !m.fixed[c] ? -Infinity : 0;
  const capOn = s.rhs.cap.map((x) => (Number.isFinite(x) ? 1 : 0));
  const whOn = m.warehouseCap !== null;
  const { ow, oc, ocat, og, omonth, oval, ospend, ohand, W } = s;
  const { cap, budget, wh } = u;
  const catP = wp.cat;
  const groupP = wp.group;
  for (let k = 0; k < n; k++) {
    const w = ow[k];
    let v = oval[k] - capOn[w] * cap[w] - catP[ocat[k]][w] - groupP[og[k]][w];
    const mi = omonth[k];
    if (mi >= 0) v -= budget[mi] * ospend[k];
    if (whOn) {
      const end = Math.min(H, W - w);
      for (let h = 0, b = k * H; h < end; h++) v -= wh[w + h] * ohand[b + h];
    }
    rv[k] = v;
    const c = oc[k];
    if (v > best[c]) {
      best[c] = v;
      choice[c] = k;
    }
  }
  for (let c = 0; c < m.candidates.length; c++) bound += best[c];
  return { bound, choice, rv };
}

export interface LagrangianOptions {
  start: Launch[];
  deadlineSeconds: number;
  maxIterations?: number;
  /** Stop once (bound - value) / value is at most this. */
  gapTarget: number;
  /** Priced greedy after this many iterations, then after twice as many, and so on, and at the end. */
  heuristicEvery?: number;
}

export function lagrangian(m: PlannerModel, opts: LagrangianOptions): LagrangianResult {
  const t0 = performance.now();
  const elapsed = () => (performance.now() - t0) / 1000;
  const s = structure(m);
  // Fixed items' own value and the cannibalisation among them are constants of every plan.
  const fixedValue = objectiveOf(m, m.fixed.flatMap((o, c) => (o ? [{ c, w: o.w, option: o }] : []))).total;
  let u = zeros(s);
  let plan = opts.start;
  let value = objectiveOf(m, plan).total;
  let bestBound = Infinity;
  let bestU = u;
  let theta = 1;
  let sinceImprove = 0;
  const maxIt = opts.maxIterations ?? 2000;
  const every = opts.heuristicEvery ?? 25;
  let it = 0;
  let lastEval: Evaluation | null = null;
  let checkpoint = Infinity;
  const tryHeuristic = (e: Evaluation) => {
    const key = new Map<LaunchOption, number>();
    s.options.forEach((o, k) => key.set(o, e.rv[k]));
    const g = runGreedy(m, (o) => key.get(o) ?? -Infinity);
    improve(m, g.state);
    const ls = launchesOf(g.state);
    if (g.unplaced.length > 0 || checkPlan(m, ls).length > 0) return;
    const v = objectiveOf(m, ls).total;
    if (v > value) {
      value = v;
      plan = ls;
    }
  };
  for (; it < maxIt && elapsed() < opts.deadlineSeconds; it++) {
    const e = evaluate(m, s, u, fixedValue);
    lastEval = e;
    if (!Number.isFinite(bestBound) || e.bound < bestBound - 1e-9 * Math.abs(bestBound)) {
      bestBound = e.bound;
      bestU = u;
      sinceImprove = 0;
    } else if (++sinceImprove >= 20) {
      theta /= 2;
      sinceImprove = 0;
    }
    // Priced greedy at iterations every, 2 every, 4 every, ...: prices improve as the bound does.
    if ((it + 1) % every === 0 && (((it + 1) / every) & ((it + 1) / every - 1)) === 0) tryHeuristic(e);
    if ((bestBound - value) / Math.max(1, Math.abs(value)) <= opts.gapTarget || theta < 1e-4) break;
    // Stalled: the bound moved less than 0.01% in the last 100 iterations.
    if (it >= 100 && it % 100 === 0) {
      if (checkpoint - bestBound <= STALL * Math.abs(bestBound)) break;
      checkpoint = bestBound;
    }
    // Subgradient rhs - activity of the relaxed choice, per family.
    const sg = zeros(s);
    sg.cap.set(s.rhs.cap);
    s.rhs.cad.forEach((a, i) => sg.cad[i].set(a));
    s.rhs.gap.forEach((a, g) => sg.gap[g].set(a));
    s.rhs.can.forEach((a, g) => sg.can[g].set(a));
    sg.budget.set(s.rhs.budget);
    sg.wh.set(s.rhs.wh);
    for (const k of e.choice) {
      if (k < 0) continue;
      const o = s.options[k];
      const w = o.w;
      sg.cap[w] -= 1;
      m.cadence.forEach((r, ri) => {
        if (r.cat !== m.catOf[o.c]) return;
        for (let st = w - r.windowWeeks + 1; st <= w; st++) sg.cad[ri][st + r.windowWeeks - 1] -= 1;
      });
      const g = m.groupOf[o.c];
      if (m.minGap >= 1) for (let st = w - m.minGap + 1; st <= w; st++) sg.gap[g][st + m.minGap - 1] -= 1;
      if (m.cannibal) for (let t = w; t < w + m.cannibal.window; t++) sg.can[g][t] -= 1;
      const mi = s.monthIdx[w];
      if (mi >= 0) sg.budget[mi] -= o.spend / s.budgetScale;
      if (m.warehouseCap) for (let h = 0; h < m.H && w + h < s.W; h++) sg.wh[w + h] -= o.onHand[h] / s.whScale;
    }
    // Only components that can move (not at a bound in the direction of the step) count.
    let norm = 0;
    const acc = (lam: Float64Array, g: Float64Array, hi?: Float64Array) => {
      for (let i = 0; i < g.length; i++) {
        if (!Number.isFinite(g[i])) {
          g[i] = 0;
          continue;
        }
        if ((lam[i] <= 0 && g[i] > 0) || (hi && lam[i] >= hi[i] && g[i] < 0)) g[i] = 0;
        norm += g[i] * g[i];
      }
    };
    acc(u.cap, sg.cap);
    u.cad.forEach((l, i) => acc(l, sg.cad[i]));
    u.gap.forEach((l, g) => acc(l, sg.gap[g]));
    u.can.forEach((l, g) => acc(l, sg.can[g], s.canMax[g]));
    acc(u.budget, sg.budget);
    acc(u.wh, sg.wh);
    if (norm <= EPS) break; // the relaxed choice satisfies every rule: it is optimal
    const step = (theta * Math.max(e.bound - value, 1e-6 * Math.abs(e.bound))) / norm;
    const next = zeros(s);
    const upd = (out: Float64Array, lam: Float64Array, g: Float64Array, hi?: Float64Array) => {
      for (let i = 0; i < lam.length; i++) out[i] = Math.min(hi ? hi[i] : Infinity, Math.max(0, lam[i] - step * g[i]));
    };
    upd(next.cap, u.cap, sg.cap);
    u.cad.forEach((l, i) => upd(next.cad[i], l, sg.cad[i]));
    u.gap.forEach((l, g) => upd(next.gap[g], l, sg.gap[g]));
    u.can.forEach((l, g) => upd(next.can[g], l, sg.can[g], s.canMax[g]));
    upd(next.budget, u.budget, sg.budget);
    upd(next.wh, u.wh, sg.wh);
    u = next;
  }
  if (lastEval) tryHeuristic(evaluate(m, s, bestU, fixedValue));
  return { bound: bestBound, plan, value, iterations: it, seconds: elapsed(), state: bestU };
}

/** Reduced values of every option at the best multipliers, with each candidate's best. */
export interface Priced {
  bound: number;
  options: LaunchOption[];
  rv: Float64Array;
  best: Float64Array;
  /** Option index the relaxation launches per candidate, -1 for none. */
  choice: Int32Array;
}

export function priced(m: PlannerModel, r: LagrangianResult): Priced {
  const s = structure(m);
  const fixedValue = objectiveOf(m, m.fixed.flatMap((o, c) => (o ? [{ c, w: o.w, option: o }] : []))).total;
  const e = evaluate(m, s, r.state, fixedValue);
  const best = new Float64Array(m.candidates.length);
  for (let c = 0; c < m.candidates.length; c++) best[c] = m.candidates[c].mustLaunch && !m.fixed[c] ? -Infinity : 0;
  for (let k = 0; k < s.oc.length; k++) best[s.oc[k]] = Math.max(best[s.oc[k]], e.rv[k]);
  return { bound: e.bound, options: s.options, rv: e.rv, best, choice: e.choice };
}

/**
 * Launch options that may appear in a plan worth more than `incumbent` (objective total), by
 * the Lagrangian bound at the best multipliers: a plan launching option o of candidate c is
 * worth at most L - (best_c - rv[o]), so every other option is provably useless
 * (reduced-cost fixing). Returns the surviving options per candidate.
 */
export function unfixedOptions(m: PlannerModel, p: Priced, incumbent: number): { columns: LaunchOption[][]; kept: number; total: number } {
  const slack = 1e-9 * Math.max(1, Math.abs(incumbent));
  const columns: LaunchOption[][] = m.options.map(() => []);
  let kept = 0;
  p.options.forEach((o, k) => {
    if (p.bound - (p.best[o.c] - p.rv[k]) >= incumbent - slack) {
      columns[o.c].push(o);
      kept += 1;
    }
  });
  return { columns, kept, total: p.options.length };
}
