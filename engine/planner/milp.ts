/**
 * MILP planning with HiGHS: formulation.ts builds the model, solver.ts solves it. The greedy
 * plan is passed as the starting incumbent, so a time-limited solve is never worse than the
 * baseline. Warehouse rows (dense: one coefficient per launch option and week on hand) are
 * added lazily for large models: solve, check the plan's on-hand load, add the weeks that
 * overflow, solve again. If the solver finds no plan, the greedy plan is returned and flagged;
 * if the rules conflict, the feasibility relaxation (explain.ts) names the conflicting rules.
 */
import { explainInfeasibility } from './explain.js';
import { buildFormulation, completeSolution } from './formulation.js';
import { improve, runGreedy } from './greedy.js';
import { formulationToLp } from './lpformat.js';
import { buildModel, type LaunchOption, type PlannerModel } from './model.js';
import { buildResult, launchesOf, objectiveOf } from './rationale.js';
import { solveFormulation } from './solver.js';
import { checkPlan, type Launch } from './state.js';
import type { PlanOptions, PlanResult, Scenario, SolverReport } from './types.js';

/** Below this many warehouse coefficients all warehouse rows go in up front. */
const EAGER_WAREHOUSE_NNZ = 400_000;
const MAX_ROUNDS = 8;
/** From this many launch binaries on, an LP-guided rounding seeds the MIP (see solveMilp). */
const LP_ROUNDING_MIN_BINARIES = 30_000;
const PRESOLVE_MAX_BINARIES = 1_000;
const ENGINE = 'HiGHS (wasm)';

export type Fallback = (reason: string, warnings: string[]) => PlanResult;

function warehouseWeeks(m: PlannerModel): 'all' | Set<number> {
  if (!m.warehouseCap) return 'all';
  let nnz = 0;
  for (const list of m.options) nnz += list.length * m.H;
  return nnz <= EAGER_WAREHOUSE_NNZ ? 'all' : new Set<number>();
}

export async function solveMilp(m: PlannerModel, options: PlanOptions, fallback: Fallback): Promise<PlanResult> {
  const timeLimit = options.timeLimitSeconds ?? m.scenario.solver?.timeLimitSeconds ?? 30;
  const gapTarget = options.gapTarget ?? m.scenario.solver?.gapTarget ?? 0.01;
  const t0 = performance.now();
  const elapsed = () => (performance.now() - t0) / 1000;

  const greedy = runGreedy(m);
  const greedyLaunches = launchesOf(greedy.state);
  const greedyOk = greedy.unplaced.length === 0 && checkPlan(m, greedyLaunches).length === 0;

  let weeks = warehouseWeeks(m);
  let buildSeconds = 0;
  let solveSeconds = 0;
  let incumbent = greedyOk ? greedyLaunches : null;
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const tb = performance.now();
    const f = buildFormulation(m, { warehouseWeeks: weeks });
    const index = new Map<LaunchOption, number>(f.xOption.map((o, k) => [o, k]));
    // Every launch of a feasible plan has a column: greedy never takes non-positive options.
    const vectorOf = (ls: Launch[]) => completeSolution(f, m, new Set(ls.filter((l) => !m.fixed[l.c]).map((l) => index.get(l.option)!)));
    const objectiveOfVector = (v: number[]) => v.reduce((a, x, j) => a + x * f.colCost[j], 0);
    buildSeconds += (performance.now() - tb) / 1000;

    // LP relaxation: an upper bound, and x* to guide a second greedy pass (LP-guided rounding).
    // When that plan is already within the gap target of the LP bound, the MIP search is moot.
    const lpRelax = { ...f, integrality: f.integrality.map(() => 0) };
    // Small models go straight to the MIP, whose own root LP and heuristics do better.
    const lp =
      f.nX >= LP_ROUNDING_MIN_BINARIES
        ? await solveFormulation(lpRelax, { sense: 'max', timeLimitSeconds: Math.max(0.1, (timeLimit - elapsed()) / 2), gapTarget })
        : { values: null, optimal: false, objective: null, seconds: 0, engine: ENGINE };
    solveSeconds += lp.seconds;
    if (lp.values && lp.optimal) {
      const xs = lp.values;
      // Candidates in order of their LP launch probability, each first at its LP weeks; options
      // the LP does not use come after, by value per spend.
      const pc = new Float64Array(m.candidates.length);
      f.xOption.forEach((o, k) => (pc[o.c] += xs[k]));
      const rounded = runGreedy(m, (o) => {
        const x = xs[index.get(o)!];
        return x > 1e-6 ? 1e12 + pc[o.c] * 1e3 + x : o.value / Math.max(o.spend, 1e-9);
      });
      improve(m, rounded.state);
      const rl = launchesOf(rounded.state);
      if (rounded.unplaced.length === 0 && checkPlan(m, rl).length === 0) {
        if (!incumbent || objectiveOf(m, rl).total > objectiveOf(m, incumbent).total) incumbent = rl;
      }
    }
    if (f.nX >= LP_ROUNDING_MIN_BINARIES && incumbent === greedyLaunches && greedyOk) {
      // The LP did not finish in time: polish the greedy plan by 1-opt moves instead.
      const st = runGreedy(m).state;
      improve(m, st);
      const polished = launchesOf(st);
      if (checkPlan(m, polished).length === 0 && objectiveOf(m, polished).total > objectiveOf(m, greedyLaunches).total) incumbent = polished;
    }
    const start = incumbent && incumbent.every((l) => m.fixed[l.c] || index.has(l.option)) ? vectorOf(incumbent) : undefined;
    if (start && lp.optimal && lp.objective !== null) {
      const value = objectiveOfVector(start);
      const gap = Math.abs(lp.objective - value) / Math.max(1, Math.abs(value));
      if (gap <= gapTarget && checkPlan(m, incumbent!).length === 0) {
        return buildResult(m, incumbent!, {
          method: 'milp',
          status: 'optimal',
          solver: {
            engine: lp.engine,
            status: 'LP bound met by LP-guided rounding',
            gap,
            solveSeconds: round3(solveSeconds),
            buildSeconds: round3(buildSeconds),
            timeLimitSeconds: timeLimit,
            gapTarget,
            variables: f.numCols,
            constraints: f.rows.length,
            rounds: round,
          },
        });
      }
    }
    const remaining = timeLimit - elapsed();
    if (remaining <= 0.05) {
      if (incumbent) return buildResult(m, incumbent, { method: 'greedy-fallback', status: 'feasible', fallbackReason: `time limit of ${timeLimit}s reached before the MIP search` });
      return fallback(`time limit of ${timeLimit}s reached while building the model`, []);
    }
    let out;
    try {
      out = await solveFormulation(f, {
        sense: 'max',
        timeLimitSeconds: remaining,
        gapTarget,
        // Measured on generated 100x26 scenarios: presolve took a third of the time limit for
        // little reduction (the aggregated model is already tight); on tiny models it pays.
        presolve: f.nX < PRESOLVE_MAX_BINARIES,
        ...(start ? { start } : {}),
      });
    } catch (err) {
      return fallback(`solver error: ${err instanceof Error ? err.message : String(err)}`, []);
    }
    solveSeconds += out.seconds;
    const report: SolverReport = {
      engine: out.engine,
      status: out.status,
      gap: out.gap,
      solveSeconds: round3(solveSeconds),
      buildSeconds: round3(buildSeconds),
      timeLimitSeconds: timeLimit,
      gapTarget,
      variables: f.numCols,
      constraints: f.rows.length,
      rounds: round,
    };
    if (out.infeasible) {
      const conflicts = await explainInfeasibility(m, weeks, Math.max(2, timeLimit - elapsed()));
      const fb = fallback('the rules conflict: no plan satisfies all of them (see conflicts)', []);
      return { ...fb, status: 'infeasible', conflicts: conflicts.length > 0 ? conflicts : fb.conflicts, solver: report };
    }
    if (!out.values) return { ...fallback(`the solver stopped without a plan (${out.status})`, []), solver: report };
    const launches: Launch[] = m.fixed.flatMap((o, c) => (o ? [{ c, w: o.w, option: o }] : []));
    for (let k = 0; k < f.nX; k++) if (out.values[k] > 0.5) launches.push({ c: f.xOption[k].c, w: f.xOption[k].w, option: f.xOption[k] });
    const violations = checkPlan(m, launches);
    const overflow = violations.filter((v) => v.rule === 'warehouse');
    if (overflow.length > 0 && weeks !== 'all') {
      // Add every overflowing week and continue with the remaining time.
      const next = new Set(weeks);
      for (let t = 0; t < m.W; t++) {
        let load = m.baseline[t];
        for (const l of launches) {
          const h = t - l.w;
          if (h >= 0 && h < m.H) load += l.option.onHand[h];
        }
        if (load > m.warehouseCap![t] + 1e-6) next.add(t);
      }
      weeks = next;
      continue;
    }
    if (violations.length > 0) {
      return { ...fallback(`the solver plan breaks a rule (${violations[0].detail}); numerical trouble`, []), solver: report };
    }
    const milpTotal = objectiveOf(m, launches).total;
    if (incumbent && milpTotal < objectiveOf(m, incumbent).total - 1e-6) {
      return buildResult(m, incumbent, { method: 'greedy-fallback', status: 'feasible', solver: report, fallbackReason: 'the solver incumbent is worse than the LP-guided greedy plan' });
    }
    return buildResult(m, launches, { method: 'milp', status: out.optimal ? 'optimal' : 'feasible', solver: report });
  }
  return fallback(`warehouse rows still overflowing after ${MAX_ROUNDS} rounds`, []);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * The full model (every warehouse row included) as CPLEX LP text, for cross-checking with
 * native HiGHS: `highs --model_file model.lp` or highspy `h.readModel('model.lp')`.
 */
export function exportLp(scenario: Scenario): string {
  return formulationToLp(buildFormulation(buildModel(scenario), { warehouseWeeks: 'all' }), 'max');
}
