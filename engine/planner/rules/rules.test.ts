import { describe, expect, it } from 'vitest';
import { buildFormulation } from '../formulation.js';
import { generateScenario } from '../generate.js';
import { runGreedy } from '../greedy.js';
import { buildModel, type PlannerModel } from '../model.js';
import { launchesOf } from '../rationale.js';
import { validateScenario } from '../schema.js';
import { checkPlan, fixedBreaches, PlanState } from '../state.js';
import { cannibalisation, rules } from './index.js';

/** A generated scenario where every rule is set, the warehouse tight enough to bind. */
function allRules(): PlannerModel {
  const s = generateScenario({ candidates: 80, weeks: 20, seed: 5 });
  s.cannibalisation = { rate: 0.2, windowWeeks: 3 };
  s.rules.minGapSimilarWeeks = 2;
  s.rules.warehouseCapacityUnits = Math.round(Number(s.rules.warehouseCapacityUnits) * 0.4);
  return buildModel(validateScenario(s));
}

describe('planner rules registry', () => {
  const m = allRules();

  it('has every rule set in the scenario, each with its own id', () => {
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    for (const r of rules) expect(r.active(m), r.id).toBe(true);
  });

  it('owns every MILP row beyond one launch per candidate and the count links', () => {
    const f = buildFormulation(m, {});
    const own = new Set(['one-per-candidate', 'must-launch', 'category-link', 'group-link']);
    const ids = new Set<string>(rules.map((r) => r.id));
    const families = new Set(f.rows.map((r) => r.meta.family));
    for (const fam of families) expect(own.has(fam) || ids.has(fam), fam).toBe(true);
    // Each rule with rows has some in this scenario.
    for (const r of rules) if (r.formulate || r.formulateGroup) expect(families.has(r.id), r.id).toBe(true);
  });

  it('blocks in the greedy state exactly the launches the from-scratch check rejects, rule by rule', () => {
    blocksAsChecked(m);
  });

  it('blocks exactly what the check rejects when fixed items already overfill rule rows', () => {
    // Fixed launches of one category and group in one week: over the week's capacity, the
    // category's cadence and the similar gap, and the warehouse pushed over its capacity.
    const s = generateScenario({ candidates: 80, weeks: 20, seed: 5 });
    s.cannibalisation = { rate: 0.2, windowWeeks: 3 };
    s.rules.minGapSimilarWeeks = 2;
    s.rules.warehouseCapacityUnits = Math.round(Number(s.rules.warehouseCapacityUnits) * 0.4);
    const first = s.candidates[0];
    const same = s.candidates.filter((c) => c.category === first.category && c.group === first.group).slice(0, 4);
    expect(same.length).toBeGreaterThanOrEqual(2);
    for (const c of same) Object.assign(c, { committed: true, fixedWeek: 3, fixedQty: Math.round(Number(s.rules.warehouseCapacityUnits) / 2) });
    for (const c of s.candidates) c.mustLaunch = false;
    const fm = buildModel(validateScenario(s));
    const breaches = fixedBreaches(fm);
    expect(breaches.some((b) => b.startsWith('similar gap'))).toBe(true);
    expect(breaches.some((b) => b.startsWith('warehouse in'))).toBe(true);
    blocksAsChecked(fm);
  });

  it('blocks exactly what the check rejects when planned reorders split the budget by month', () => {
    const s = generateScenario({ candidates: 80, weeks: 20, seed: 5 });
    s.demand.replenishment = { reviewWeeks: 1, serviceLevel: 0.9 };
    const rm = buildModel(validateScenario(s));
    expect(rm.options.flat().filter((o) => o.spendByMonth && o.spendByMonth.length > 1).length).toBeGreaterThan(100);
    expect(blocksAsChecked(rm).has('budget')).toBe(true);
  });

  it('charges cannibalisation launch by launch in the state as the plan objective does in total', () => {
    const plan = launchesOf(runGreedy(m).state);
    const st = new PlanState(m);
    let charged = 0;
    for (const l of plan) {
      charged += st.addedCost(l.option);
      st.add(l.option);
    }
    const total = cannibalisation(m, plan).total;
    expect(total).toBeGreaterThan(0);
    expect(charged).toBeCloseTo(total, 6);
  });
});

/** The greedy state blocks exactly the launches the from-scratch check rejects, rule by rule. */
function blocksAsChecked(m: PlannerModel): Set<string> {
  const g = runGreedy(m);
  const plan = launchesOf(g.state);
  expect(checkPlan(m, plan)).toEqual([]);
  const st = new PlanState(m);
  for (const l of plan) st.add(l.option);
  const seen = new Set<string>();
  let tried = 0;
  m.options.forEach((list, c) => {
    if (st.chosen[c]) return;
    for (const o of list) {
      tried += 1;
      const rule = st.blockingRule(o);
      const violations = checkPlan(m, [...plan, { c, w: o.w, option: o }]);
      if (rule === null) expect(violations, `${c}@${o.w}`).toEqual([]);
      else {
        seen.add(rule);
        expect(violations.map((v) => v.rule)).toContain(rule);
        expect(st.blocker(o)?.rule).toBe(rule);
      }
    }
  });
  expect(tried).toBeGreaterThan(100);
  // The greedy plan leaves several rules binding, so several trackers were exercised.
  expect(seen.size).toBeGreaterThanOrEqual(3);
  return seen;
}
