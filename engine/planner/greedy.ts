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
}

export function runGreedy(m: PlannerModel): GreedyOutcome {
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
      const v = o.value - st.cannibalDelta(o);
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
  pool.sort((a, b) => density(b) - density(a) || b.value - a.value);
  for (const o of pool) {
    if (st.chosen[o.c]) continue;
    if (st.blocker(o)) continue;
    if (o.value - st.cannibalDelta(o) <= 0) continue;
    st.add(o);
  }
  return { state: st, unplaced };
}
