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
 * with rows scaled so that one launch moves each by about one unit. Each rule's multipliers,
 * prices and subgradient come from its own file (rules/, `Rule.relax`).
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
import { rules } from './rules/index.js';
import type { PriceTables, Relaxation } from './rules/rule.js';
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

/** Multipliers per relaxed rule (registry order), in that rule's blocks (`Relaxation.rhs`). */
export type Multipliers = Float64Array[][];

interface Structure {
  W: number;
  /** The relaxed rules, registry order; multipliers and subgradients are indexed alike. */
  relax: Relaxation[];
  options: LaunchOption[];
  /** Option data packed in typed arrays (the evaluation loop runs over all options). */
  oc: Int32Array;
  ow: Int32Array;
  ocat: Int32Array;
  og: Int32Array;
  oval: Float64Array;
}

const EPS = 1e-9;
const STALL = 1e-4;

function structure(m: PlannerModel): Structure {
  const fixed = m.fixed.filter((f): f is LaunchOption => f !== null);
  const options: LaunchOption[] = [];
  m.options.forEach((list, c) => {
    for (const o of list) if (m.candidates[c].mustLaunch || o.value > 0) options.push(o);
  });
  const relax = rules.flatMap((r) => (r.relax ? [r.relax({ m, fixed, options })] : []));
  return {
    W: m.W,
    relax,
    options,
    oc: Int32Array.from(options, (o) => o.c),
    ow: Int32Array.from(options, (o) => o.w),
    ocat: Int32Array.from(options, (o) => m.catOf[o.c]),
    og: Int32Array.from(options, (o) => m.groupOf[o.c]),
    oval: Float64Array.from(options, (o) => o.value),
  };
}

function zeros(s: Structure): Multipliers {
  return s.relax.map((r) => r.rhs.map((a) => new Float64Array(a.length)));
}

/** Price of a launch per week, (category, week) and (group, week): constants, then multipliers. */
function priceTables(m: PlannerModel, s: Structure, u: Multipliers): PriceTables {
  const t: PriceTables = {
    week: new Float64Array(s.W),
    cat: m.categories.map(() => new Float64Array(s.W)),
    group: m.groups.map(() => new Float64Array(s.W)),
  };
  for (const r of s.relax) r.constantPrices?.(t);
  s.relax.forEach((r, i) => r.price(u[i], t));
  return t;
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
  const tables = priceTables(m, s, u);
  // sum_r lambda_r rhs_r: resource rows, category windows, then group by group (Relaxation.blocks).
  let bound = fixedValue;
  for (const kind of ['resource', 'category'] as const)
    s.relax.forEach((r, i) => {
      if (r.blocks === kind) for (let b = 0; b < r.rhs.length; b++) bound += dot(u[i][b], r.rhs[b]);
    });
  for (let g = 0; g < m.groups.length; g++) {
    let x = 0;
    s.relax.forEach((r, i) => {
      if (r.blocks === 'group') x += dot(u[i][g], r.rhs[g]);
    });
    bound += x;
  }
  const n = s.oc.length;
  const rv = new Float64Array(n);
  const best = new Float64Array(m.candidates.length);
  const choice = new Int32Array(m.candidates.length).fill(-1);
  for (let c = 0; c < m.candidates.length; c++) best[c] = m.candidates[c].mustLaunch && !m.fixed[c] ? -Infinity : 0;
  const { ow, oc, ocat, og, oval } = s;
  const { week, cat, group } = tables;
  for (let k = 0; k < n; k++) {
    const w = ow[k];
    rv[k] = oval[k] - week[w] - cat[ocat[k]][w] - group[og[k]][w];
  }
  s.relax.forEach((r, i) => r.priceOptions?.(u[i], rv));
  for (let k = 0; k < n; k++) {
    const v = rv[k];
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
    // Subgradient rhs - activity of the relaxed choice, per rule and block.
    const sg = s.relax.map((r) => r.rhs.map((a) => a.slice()));
    for (const k of e.choice) {
      if (k < 0) continue;
      const o = s.options[k];
      s.relax.forEach((r, i) => r.use(sg[i], o, k));
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
    s.relax.forEach((r, i) => u[i].forEach((l, b) => acc(l, sg[i][b], r.upper?.[b])));
    if (norm <= EPS) break; // the relaxed choice satisfies every rule: it is optimal
    const step = (theta * Math.max(e.bound - value, 1e-6 * Math.abs(e.bound))) / norm;
    const next = zeros(s);
    const upd = (out: Float64Array, lam: Float64Array, g: Float64Array, hi?: Float64Array) => {
      for (let i = 0; i < lam.length; i++) out[i] = Math.min(hi ? hi[i] : Infinity, Math.max(0, lam[i] - step * g[i]));
    };
    s.relax.forEach((r, i) => u[i].forEach((l, b) => upd(next[i][b], l, sg[i][b], r.upper?.[b])));
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
