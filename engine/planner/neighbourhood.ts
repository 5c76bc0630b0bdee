/**
 * Lagrangian-guided neighbourhood search (a large-neighbourhood step in the spirit of RINS,
 * Danna, Rothberg & Le Pape 2005, with Lagrangian prices in place of the LP solution): the
 * candidates whose launch the prices leave open (the relaxation launches them in another week
 * than the plan, or their best reduced value is close to zero) keep their best-priced weeks;
 * every other candidate is frozen at its plan week (as if committed), and HiGHS solves that
 * small MIP starting from the plan. Frozen launches stay in the rule rows through the fixed-item
 * right-hand sides, so the result is a plan for the full model, re-checked by checkPlan.
 */
import { buildFormulation, completeSolution } from './formulation.js';
import type { Priced } from './lagrangian.js';
import type { LaunchOption, PlannerModel } from './model.js';
import { objectiveOf } from './rationale.js';
import { solveFormulation } from './solver.js';
import { checkPlan, type Launch } from './state.js';

export interface NeighbourhoodOptions {
  /** Candidates left free at most. */
  maxFree: number;
  /** Weeks kept per free candidate (best reduced values, plus its plan week). */
  weeksPerCandidate: number;
  timeLimitSeconds: number;
  /** Stop the sub-MIP once a plan worth this much (objective total) is found. */
  stopAtValue?: number;
}

export interface NeighbourhoodResult {
  plan: Launch[];
  value: number;
  free: number;
  binaries: number;
  seconds: number;
  status: string;
}

export async function searchNeighbourhood(m: PlannerModel, plan: Launch[], p: Priced, opts: NeighbourhoodOptions): Promise<NeighbourhoodResult> {
  const t0 = performance.now();
  const planOf: (LaunchOption | null)[] = m.candidates.map(() => null);
  for (const l of plan) if (!m.fixed[l.c]) planOf[l.c] = l.option;
  const byCand: number[][] = m.candidates.map(() => []);
  p.options.forEach((o, k) => byCand[o.c].push(k));
  const scale = p.options.reduce((a, o) => Math.max(a, Math.abs(o.value)), 1);
  // Openness: candidates the relaxation launches differently come first, then by how close their
  // best reduced value is to zero.
  const open = m.candidates.map((_, c) => {
    if (m.fixed[c] || byCand[c].length === 0) return Infinity;
    const relaxed = p.choice[c] >= 0 ? p.options[p.choice[c]] : null;
    const closeness = Math.abs(p.best[c]) / scale;
    return relaxed !== planOf[c] ? closeness - 1 : closeness;
  });
  const order = m.candidates.map((_, c) => c).filter((c) => Number.isFinite(open[c]));
  order.sort((a, b) => open[a] - open[b]);
  const free = new Set(order.slice(0, opts.maxFree));
  const fixed = m.fixed.map((f, c) => f ?? (free.has(c) ? null : planOf[c]));
  const options = m.options.map((list, c) => {
    if (!free.has(c)) return [];
    const keep = new Set(
      [...byCand[c]]
        .sort((a, b) => p.rv[b] - p.rv[a])
        .slice(0, opts.weeksPerCandidate)
        .map((k) => p.options[k]),
    );
    if (planOf[c]) keep.add(planOf[c]!);
    return list.filter((o) => keep.has(o));
  });
  const sub: PlannerModel = { ...m, fixed, options };
  const f = buildFormulation(sub, {});
  const index = new Map(f.xOption.map((o, k) => [o, k]));
  const start = completeSolution(f, sub, new Set(plan.filter((l) => free.has(l.c)).map((l) => index.get(l.option)!)));
  // The sub-MIP objective leaves out the frozen launches' value (formulation objectiveOffset).
  const offset = objectiveOf(m, fixed.flatMap((o, c) => (o ? [{ c, w: o.w, option: o }] : []))).total;
  const out = await solveFormulation(f, {
    sense: 'max',
    timeLimitSeconds: opts.timeLimitSeconds,
    gapTarget: 1e-4,
    start,
    ...(opts.stopAtValue !== undefined ? { stopAtObjective: opts.stopAtValue - offset } : {}),
  });
  const base = { free: free.size, binaries: f.nX, seconds: (performance.now() - t0) / 1000, status: out.status };
  const current = { plan, value: objectiveOf(m, plan).total, ...base };
  if (!out.values) return current;
  const launches: Launch[] = fixed.flatMap((o, c) => (o ? [{ c, w: o.w, option: o }] : []));
  for (let k = 0; k < f.nX; k++) if (out.values[k] > 0.5) launches.push({ c: f.xOption[k].c, w: f.xOption[k].w, option: f.xOption[k] });
  if (checkPlan(m, launches).length > 0) return current;
  const value = objectiveOf(m, launches).total;
  return value > current.value ? { plan: launches, value, ...base } : current;
}
