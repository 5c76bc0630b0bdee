/**
 * Planning with HiGHS (formulation.ts builds the model, solver.ts solves it) in three phases:
 *  1. the greedy plan (baseline, and the plan if nothing else works);
 *  2. Lagrangian relaxation (lagrangian.ts): an upper bound on the plan value in well under a
 *     second per hundred iterations and priced greedy plans, then neighbourhood MIPs around the
 *     best plan on the candidates the prices leave open (neighbourhood.ts), until the plan is
 *     within the gap target of the bound;
 *  3. for models up to MIP_MAX_BINARIES, the full MIP over the options reduced-cost fixing
 *     leaves, started from the best plan, with the remaining time. Warehouse rows (dense: one
 *     coefficient per launch option and week on hand) are added lazily for large models: solve,
 *     check the plan's on-hand load, add the weeks that overflow, solve again.
 * The gap reported is against the best bound (Lagrangian or MIP). If the solver finds no plan,
 * the best plan so far is returned and flagged; if the rules conflict, the feasibility
 * relaxation (explain.ts) names the conflicting rules.
 */
import { explainInfeasibility } from './explain.js';
import { buildFormulation, completeSolution } from './formulation.js';
import { runGreedy } from './greedy.js';
import { lagrangian, priced, unfixedOptions, type LagrangianResult, type Priced } from './lagrangian.js';
import { searchNeighbourhood } from './neighbourhood.js';
import { formulationToLp } from './lpformat.js';
import { buildModel, type LaunchOption, type PlannerModel } from './model.js';
import { buildResult, launchesOf, objectiveOf } from './rationale.js';
import { rules } from './rules/index.js';
import type { RuleId } from './rules/rule.js';
import { solveFormulation } from './solver.js';
import { checkPlan, type Launch } from './state.js';
import type { PlanOptions, PlanResult, Scenario, SolverReport } from './types.js';

const MAX_ROUNDS = 8;
/**
 * Above this many launch binaries the MIP is not tried: its root LP alone does not finish within
 * a minute on the wasm build (5,000 x 26 and up), so the plan is the Lagrangian one and the gap
 * is against the Lagrangian bound.
 */
const MIP_MAX_BINARIES = 40_000;
/** Share of the time limit the Lagrangian phase may use before the MIP (small and mid models). */
const LAGRANGIAN_SHARE = 0.6;
/** Part of that share for the subgradient iterations; the rest goes to neighbourhood MIPs. */
const LAGRANGIAN_ITERATION_SHARE = 0.4;
/** The first neighbourhood frees this share of the candidates (at least the minimum). */
const NEIGHBOURHOOD_FIRST_SHARE = 0.25;
const NEIGHBOURHOOD_MIN_FREE = 50;
const NEIGHBOURHOOD_WEEKS = 4;
const PRESOLVE_MAX_BINARIES = 1_000;

export type Fallback = (reason: string, warnings: string[]) => PlanResult;

function relGap(bound: number, value: number): number {
  return Math.max(0, bound - value) / Math.max(1, Math.abs(value));
}

export async function solveMilp(m: PlannerModel, options: PlanOptions, fallback: Fallback): Promise<PlanResult> {
  const timeLimit = options.timeLimitSeconds ?? m.scenario.solver?.timeLimitSeconds ?? 30;
  const gapTarget = options.gapTarget ?? m.scenario.solver?.gapTarget ?? 0.01;
  const t0 = performance.now();
  const elapsed = () => (performance.now() - t0) / 1000;
  const warnings: string[] = [];

  const greedy = runGreedy(m);
  const greedyLaunches = launchesOf(greedy.state);
  const greedyOk = greedy.unplaced.length === 0 && checkPlan(m, greedyLaunches).length === 0;
  let incumbent = greedyOk ? greedyLaunches : null;
  const nOptions = m.options.reduce((a, l, c) => a + l.filter((o) => o.value > 0 || m.candidates[c].mustLaunch).length, 0);
  const mipFits = nOptions <= MIP_MAX_BINARIES;

  // Lagrangian phase: an upper bound on the plan value and priced greedy plans (lagrangian.ts),
  // then neighbourhood MIPs around the plan on the candidates the prices leave open
  // (neighbourhood.ts), each twice as wide as the last, until the gap target or the time share.
  let bound = Infinity;
  let lagSeconds = 0;
  let lag: LagrangianResult | null = null;
  let prices: Priced | null = null;
  if (incumbent && nOptions > 0) {
    const share = mipFits ? LAGRANGIAN_SHARE * timeLimit : timeLimit;
    lag = lagrangian(m, { start: incumbent, deadlineSeconds: Math.max(0.1, share * LAGRANGIAN_ITERATION_SHARE), gapTarget });
    bound = lag.bound;
    if (lag.value > objectiveOf(m, incumbent).total) incumbent = lag.plan;
    prices = priced(m, lag);
    let free = Math.max(NEIGHBOURHOOD_MIN_FREE, Math.ceil(NEIGHBOURHOOD_FIRST_SHARE * m.candidates.length));
    let searches = 0;
    const freeable = m.candidates.filter((_, c) => !m.fixed[c] && m.options[c].length > 0).length;
    while (relGap(bound, objectiveOf(m, incumbent).total) > gapTarget && elapsed() < share - 0.2) {
      let n: Awaited<ReturnType<typeof searchNeighbourhood>>;
      try {
        n = await searchNeighbourhood(m, incumbent, prices, {
          maxFree: free,
          weeksPerCandidate: NEIGHBOURHOOD_WEEKS,
          timeLimitSeconds: Math.max(0.1, Math.min(share - elapsed(), (share - elapsed()) / 2 + 0.5)),
          stopAtValue: bound / (1 + gapTarget),
        });
      } catch (err) {
        // A failed sub-MIP (solver error) keeps the incumbent; the full MIP or the fallback follow.
        warnings.push(`neighbourhood search stopped: ${(err as Error).message}`);
        break;
      }
      searches += 1;
      incumbent = n.plan;
      if (free >= freeable) break;
      free *= 2;
    }
    lagSeconds = elapsed();
    const value = objectiveOf(m, incumbent).total;
    const gap = relGap(bound, value);
    if (gap <= gapTarget || !mipFits) {
      return buildResult(m, incumbent, {
        method: 'milp',
        status: gap <= gapTarget ? 'optimal' : 'feasible',
        solver: {
          engine: `Lagrangian relaxation + neighbourhood MIPs (${searches}, HiGHS wasm)`,
          status: gap <= gapTarget ? 'gap target met against the Lagrangian bound' : `time limit; full MIP skipped above ${MIP_MAX_BINARIES} binaries`,
          gap,
          solveSeconds: round3(lagSeconds),
          buildSeconds: 0,
          timeLimitSeconds: timeLimit,
          gapTarget,
          variables: nOptions,
          constraints: 0,
          rounds: lag.iterations,
        },
        ...(warnings.length ? { warnings } : {}),
      });
    }
  }

  // MIP phase over the options that can still beat the incumbent (reduced-cost fixing).
  const fixing = prices && incumbent ? unfixedOptions(m, prices, objectiveOf(m, incumbent).total) : null;
  const columns = fixing ? fixing.columns : m.options;
  const offset = objectiveOf(m, m.fixed.flatMap((o, c) => (o ? [{ c, w: o.w, option: o }] : []))).total;
  // Rules with lazily generated rows (warehouse) start from the rows they choose.
  const lazyRules = rules.filter((r) => r.lazy);
  const lazyRows = new Map<RuleId, 'all' | Set<number>>(lazyRules.map((r) => [r.id, r.lazy!.initial(m, columns)]));
  let buildSeconds = 0;
  let solveSeconds = lagSeconds;
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const tb = performance.now();
    const f = buildFormulation(m, { lazyRows, columns });
    const index = new Map<LaunchOption, number>(f.xOption.map((o, k) => [o, k]));
    const vectorOf = (ls: Launch[]) => completeSolution(f, m, new Set(ls.filter((l) => !m.fixed[l.c]).map((l) => index.get(l.option)!)));
    buildSeconds += (performance.now() - tb) / 1000;
    const remaining = timeLimit - elapsed();
    if (remaining <= 0.05) {
      if (incumbent) return buildResult(m, incumbent, { method: 'greedy-fallback', status: 'feasible', fallbackReason: `time limit of ${timeLimit}s reached before the MIP search` });
      return fallback(`time limit of ${timeLimit}s reached while building the model`, []);
    }
    const start = incumbent && incumbent.every((l) => m.fixed[l.c] || index.has(l.option)) ? vectorOf(incumbent) : undefined;
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
    const report = (gap: number | null): SolverReport => ({
      engine: lag ? `${out.engine} after Lagrangian relaxation` : out.engine,
      status: out.status,
      gap,
      solveSeconds: round3(solveSeconds),
      buildSeconds: round3(buildSeconds),
      timeLimitSeconds: timeLimit,
      gapTarget,
      variables: f.numCols,
      constraints: f.rows.length,
      rounds: round,
    });
    if (out.infeasible) {
      const conflicts = await explainInfeasibility(m, lazyRows, Math.max(2, timeLimit - elapsed()));
      const fb = fallback('the rules conflict: no plan satisfies all of them (see conflicts)', []);
      return { ...fb, status: 'infeasible', conflicts: conflicts.length > 0 ? conflicts : fb.conflicts, solver: report(null) };
    }
    if (!out.values) {
      if (incumbent) return buildResult(m, incumbent, { method: 'greedy-fallback', status: 'feasible', solver: report(relGap(bound, objectiveOf(m, incumbent).total)), fallbackReason: `the solver stopped without a plan (${out.status})` });
      return { ...fallback(`the solver stopped without a plan (${out.status})`, []), solver: report(null) };
    }
    const launches: Launch[] = m.fixed.flatMap((o, c) => (o ? [{ c, w: o.w, option: o }] : []));
    for (let k = 0; k < f.nX; k++) if (out.values[k] > 0.5) launches.push({ c: f.xOption[k].c, w: f.xOption[k].w, option: f.xOption[k] });
    const violations = checkPlan(m, launches);
    // A plan breaking a rule in rows left out: add those rows and continue with the remaining time.
    let grown = false;
    for (const r of lazyRules) {
      const next = r.lazy!.separate(m, launches, lazyRows.get(r.id)!);
      if (next) {
        lazyRows.set(r.id, next);
        grown = true;
      }
    }
    if (grown) continue;
    if (violations.length > 0) {
      return { ...fallback(`the solver plan breaks a rule (${violations[0].detail}); numerical trouble`, []), solver: report(null) };
    }
    const milpTotal = objectiveOf(m, launches).total;
    // The MIP bound covers the unfixed options; fixed-out ones cannot beat the incumbent.
    if (out.bound !== null) bound = Math.min(bound, Math.max(out.bound + offset, milpTotal));
    if (incumbent && milpTotal < objectiveOf(m, incumbent).total - 1e-6) {
      const value = objectiveOf(m, incumbent).total;
      return buildResult(m, incumbent, { method: 'milp', status: relGap(bound, value) <= gapTarget ? 'optimal' : 'feasible', solver: report(relGap(bound, value)), ...(warnings.length ? { warnings } : {}) });
    }
    const gap = Number.isFinite(bound) ? relGap(bound, milpTotal) : out.gap;
    // HiGHS proving optimality (within its own tolerance) of the exact model is optimal too.
    return buildResult(m, launches, { method: 'milp', status: out.optimal || (gap !== null && gap <= gapTarget) ? 'optimal' : 'feasible', solver: report(gap), ...(warnings.length ? { warnings } : {}) });
  }
  return fallback(`${lazyRules.map((r) => r.id).join(', ')} rows still overflowing after ${MAX_ROUNDS} rounds`, []);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * The full model (every warehouse row included) as CPLEX LP text, for cross-checking with
 * native HiGHS: `highs --model_file model.lp` or highspy `h.readModel('model.lp')`.
 */
export function exportLp(scenario: Scenario): string {
  return formulationToLp(buildFormulation(buildModel(scenario), {}), 'max');
}
