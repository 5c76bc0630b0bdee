/**
 * Value-per-cost greedy under the same rules as the MILP: the fallback when the solver gives
 * no plan, and the baseline the benchmark compares against.
 *   1. fixed (launched / committed) items are placed as they are;
 *   2. must-launch items, fewest feasible weeks first, each at its best feasible week;
 *   3. every other (candidate, week) option with positive value, in decreasing order of value
 *      per unit of opening-stock spend (the knapsack density rule: budget is the scarce
 *      resource), is taken when its candidate is still free, every rule still holds and its
 *      value net of the cannibalisation it adds stays positive.
 */
import type { LaunchOption, PlannerModel } from './model.js';
import { PlanState, type Violation } from './state.js';

export interface GreedyOutcome {
  state: PlanState;
  /** Must-launch candidates that could not be placed, with the rule that blocked their best week. */
  unplaced: { c: number; blockers: Violation[] }[];
  /** Positive-value options of free candidates the rules turned away, by the first rule broken. */
  rejected: Record<string, number>;
}

/**
 * @param priority optional score per option (higher first) replacing value per spend in step 3,
 *   e.g. the LP relaxation's x values for LP-guided rounding.
 */
export function runGreedy(m: PlannerModel, priority?: (o: LaunchOption) => number): GreedyOutcome {
  const st = new PlanState(m);
  m.fixed.forEach((f) => {
    if (f) st.add(f);
  });
  const unplaced: GreedyOutcome['unplaced'] = [];
  const must = m.candidates.map((c, i) => i).filter((i) => m.candidates[i].mustLaunch && !m.fixed[i]);
  must.sort((a, b) => m.options[a].length - m.options[b].length);
  for (const c of must) {
    let best: LaunchOption | null = null;
    let bestVal = -Infinity;
    const blockers: Violation[] = [];
    for (const o of m.options[c]) {
      const b = st.blocker(o);
      if (b) {
        blockers.push(b);
        continue;
      }
      const v = o.value - st.addedCost(o);
      if (v > bestVal) {
        bestVal = v;
        best = o;
      }
    }
    if (best) st.add(best);
    else unplaced.push({ c, blockers });
  }
  const pool: LaunchOption[] = [];
  m.options.forEach((list, c) => {
    if (m.candidates[c].mustLaunch) return;
    for (const o of list) if (o.value > 0) pool.push(o);
  });
  const density = (o: LaunchOption) => o.value / Math.max(o.spend, 1e-9);
  const score = priority ?? density;
  const key = new Map(pool.map((o) => [o, score(o)]));
  pool.sort((a, b) => key.get(b)! - key.get(a)! || density(b) - density(a));
  const rejected: Record<string, number> = {};
  for (const o of pool) {
    if (st.chosen[o.c]) continue;
    const rule = st.blockingRule(o);
    if (rule) {
      rejected[rule] = (rejected[rule] ?? 0) + 1;
      continue;
    }
    if (o.value - st.addedCost(o) <= 0) continue;
    st.add(o);
  }
  return { state: st, unplaced, rejected };
}

/**
 * 1-opt local search: repeatedly take each candidate out and put it back at its best feasible
 * week (or leave it out when no week has positive net value and it is not must-launch), until
 * no move improves the plan. Used to polish the LP-guided rounding, not the baseline.
 */
export function improve(m: PlannerModel, st: PlanState, maxPasses = 4): number {
  let moves = 0;
  for (let pass = 0; pass < maxPasses; pass++) {
    let changed = false;
    for (let c = 0; c < m.candidates.length; c++) {
      if (m.fixed[c]) continue;
      const cur = st.chosen[c];
      if (cur) st.remove(c);
      const curNet = cur ? cur.value - st.addedCost(cur) : 0;
      let best: LaunchOption | null = cur;
      let bestNet = cur ? curNet : m.candidates[c].mustLaunch ? -Infinity : 0;
      for (const o of m.options[c]) {
        if (o === cur) continue;
        const net = o.value - st.addedCost(o);
        if (net <= bestNet + 1e-6) continue;
        if (st.blocks(o)) continue;
        best = o;
        bestNet = net;
      }
      if (best) st.add(best);
      if (best !== cur) {
        moves += 1;
        changed = true;
      }
    }
    if (!changed) break;
  }
  return moves;
}
