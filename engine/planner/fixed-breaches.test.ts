import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { greedyPlan, planLaunches, validateScenario } from './index.js';
import { buildModel } from './model.js';
import { checkPlan, fixedBreaches, type Launch } from './state.js';
import type { PlanResult, Scenario } from './types.js';

/**
 * Replans keep launched and committed items fixed. When those alone already break a rule in a
 * window touching the horizon (a launch went out in another week than planned, or the rules were
 * tightened), the plan must still come back: the row holds at the fixed load, no new launch adds
 * to it, and the breach is a warning, not an infeasible plan.
 */

// small.json: weeks from 2026-11-30 (12 weeks, 6-week coverage); laptops LAP-001..004 (LAP-001
// and LAP-002 "ultrabook"), audio HP-001, HP-003, HP-004 "over-ear", HP-002 "in-ear".
function scenario(rules: Scenario['rules'], fixed: Record<string, { week: number; qty: number }>): Scenario {
  const s = JSON.parse(readFileSync(new URL('./examples/small.json', import.meta.url), 'utf8')) as Scenario;
  s.rules = rules;
  // Only the rule under test binds: no promotion deadlines either.
  for (const c of s.candidates) delete c.promotions;
  delete s.cannibalisation;
  for (const c of s.candidates) {
    delete c.mustLaunch;
    const f = fixed[c.id];
    if (f) Object.assign(c, { committed: true, fixedWeek: f.week, fixedQty: f.qty });
  }
  return validateScenario(s);
}

function newLaunches(plan: PlanResult): PlanResult['items'] {
  return plan.items.filter((i) => !i.fixed);
}

/** The plan as the independent checker sees it. */
function launchesOf(s: Scenario, plan: PlanResult): Launch[] {
  const m = buildModel(s);
  return plan.items.map((i) => {
    const c = m.candidates.findIndex((x) => x.id === i.candidateId);
    const option = m.fixed[c] ?? m.options[c].find((o) => o.w === i.week)!;
    return { c, w: i.week, option };
  });
}

async function bothPlans(s: Scenario): Promise<[string, PlanResult][]> {
  return [
    ['milp', await planLaunches(s, { timeLimitSeconds: 20, gapTarget: 0 })],
    ['greedy', greedyPlan(s)],
  ];
}

function expectFeasible(s: Scenario, name: string, plan: PlanResult, warning: string): void {
  expect(plan.status, `${name}: ${plan.conflicts.map((c) => c.message).join('; ')}`).not.toBe('infeasible');
  expect(plan.conflicts).toEqual([]);
  expect(checkPlan(buildModel(s), launchesOf(s, plan))).toEqual([]);
  expect(plan.warnings, name).toContain(warning);
  // New launches still go where the rules leave room.
  expect(newLaunches(plan).length, name).toBeGreaterThan(0);
}

describe('fixed items already over a rule', () => {
  it('capacity: the overfilled week takes no new launch, the rest of the plan goes ahead', async () => {
    const s = scenario({ maxLaunchesPerWeek: 1 }, { 'LAP-003': { week: 4, qty: 60 }, 'HP-001': { week: 4, qty: 60 } });
    const warning = 'launch capacity in week 2026-12-28: 2 launches already fixed against a limit of 1; no new launch placed there';
    expect(fixedBreaches(buildModel(s))).toEqual([warning]);
    for (const [name, plan] of await bothPlans(s)) {
      expectFeasible(s, name, plan, warning);
      expect(newLaunches(plan).filter((i) => i.week === 4), name).toEqual([]);
    }
  });

  it('cadence: no new launch of the category in the windows the fixed launches overfill', async () => {
    const s = scenario(
      { cadence: [{ category: 'laptops', maxLaunches: 1, windowWeeks: 4 }] },
      { 'LAP-001': { week: 4, qty: 60 }, 'LAP-003': { week: 5, qty: 60 } },
    );
    const warning = 'laptops cadence in weeks 2026-12-28..2027-01-04: 2 launches already fixed against a limit of 1 in any 4 weeks; no new laptops launch placed there';
    expect(fixedBreaches(buildModel(s))).toEqual([warning]);
    for (const [name, plan] of await bothPlans(s)) {
      expectFeasible(s, name, plan, warning);
      // Windows holding both fixed launches start in weeks 2..4, so they span weeks 2..7.
      expect(newLaunches(plan).filter((i) => i.category === 'laptops' && i.week >= 2 && i.week <= 7), name).toEqual([]);
    }
  });

  it('similar gap: no new launch of the group near similar items already fixed too close', async () => {
    const s = scenario({ minGapSimilarWeeks: 3 }, { 'HP-001': { week: 4, qty: 60 }, 'HP-003': { week: 5, qty: 60 } });
    const expected =
      'similar gap in weeks 2026-12-28..2027-01-04: Quiet ANC headphones and Studio monitor headphones of the similar group "over-ear" are already fixed 1 week apart against a minimum of 3; no new launch of the group placed there';
    expect(fixedBreaches(buildModel(s))).toEqual([expected]);
    for (const [name, plan] of await bothPlans(s)) {
      expectFeasible(s, name, plan, expected);
      expect(newLaunches(plan).filter((i) => i.group === 'over-ear' && i.week >= 2 && i.week <= 7), name).toEqual([]);
    }
  });

  it('budget: a month the fixed orders already overspend takes no new order', async () => {
    const s = scenario(
      {
        monthlyBudget: [
          { month: '2026-12', amount: 10_000 },
          { month: '2027-01', amount: 150_000 },
        ],
      },
      { 'LAP-001': { week: 1, qty: 50 } },
    );
    const m = buildModel(s);
    const spend = m.fixed.find((f) => f !== null)!.spend;
    expect(spend).toBeGreaterThan(10_000);
    const warning = `budget in 2026-12: ${Math.round(spend).toLocaleString('en-US')} of opening stock already committed by fixed items against a budget of 10,000; no new launch placed there`;
    expect(fixedBreaches(m)).toEqual([warning]);
    for (const [name, plan] of await bothPlans(s)) {
      expectFeasible(s, name, plan, warning);
      expect(newLaunches(plan).filter((i) => i.weekStart.startsWith('2026-12')), name).toEqual([]);
    }
  });

  it('warehouse: weeks the fixed stock already overfills get no new stock', async () => {
    const s = scenario({ warehouseCapacityUnits: 300 }, { 'LAP-001': { week: 2, qty: 2_000 } });
    const m = buildModel(s);
    const breaches = fixedBreaches(m);
    expect(breaches).toHaveLength(1);
    expect(breaches[0]).toMatch(/^warehouse in weeks 2026-12-14\.\.\d{4}-\d\d-\d\d: [\d,]+ units already on hand from existing stock and fixed items against a capacity of 300; no new launch adds stock there$/);
    const fixed = m.fixed.find((f) => f !== null)!;
    const full = new Set(Array.from(fixed.onHand).flatMap((u, h) => (u > 300 ? [fixed.w + h] : [])));
    expect(full.size).toBeGreaterThan(0);
    for (const [name, plan] of await bothPlans(s)) {
      expectFeasible(s, name, plan, breaches[0]);
      for (const l of launchesOf(s, plan)) {
        if (m.fixed[l.c]) continue;
        l.option.onHand.forEach((u, h) => {
          if (full.has(l.w + h)) expect(u, `${name}: ${m.candidates[l.c].id} adds stock in week ${l.w + h}`).toBe(0);
        });
      }
    }
  });

  it('still reports a must-launch item that cannot fit as infeasible, with the breach as a warning', async () => {
    const s = scenario({ maxLaunchesPerWeek: 1 }, { 'LAP-003': { week: 4, qty: 60 }, 'HP-001': { week: 4, qty: 60 } });
    const hp = s.candidates.find((c) => c.id === 'HP-004')!;
    Object.assign(hp, { mustLaunch: true, earliestWeek: 4, latestWeek: 4 });
    for (const [name, plan] of await bothPlans(validateScenario(s))) {
      expect(plan.status, name).toBe('infeasible');
      expect(plan.conflicts.length, name).toBeGreaterThan(0);
      expect(plan.conflicts.flatMap((c) => c.candidateIds ?? []), name).toContain('HP-004');
      expect(plan.warnings.some((w) => w.startsWith('launch capacity in week 2026-12-28: 2 launches already fixed')), name).toBe(true);
    }
  });

  it('warns about nothing when the fixed items keep to the rules', () => {
    const s = scenario({ maxLaunchesPerWeek: 2, cadence: [{ category: 'laptops', maxLaunches: 2, windowWeeks: 4 }], minGapSimilarWeeks: 2 }, { 'LAP-003': { week: 4, qty: 60 } });
    expect(fixedBreaches(buildModel(s))).toEqual([]);
    expect(greedyPlan(s).warnings).toEqual([]);
  });
});
