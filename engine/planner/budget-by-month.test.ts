import { describe, expect, it } from 'vitest';
import { greedyPlan, planLaunches, validateScenario, type PlanResult, type Scenario } from './index.js';
import { runGreedy } from './greedy.js';
import { lagrangian } from './lagrangian.js';
import { buildModel, plannedReorderUnits, type LaunchOption } from './model.js';
import { validateReplenishmentParams } from '../replenishment/index.js';
import { launchesOf } from './rationale.js';
import { checkPlan } from './state.js';

/**
 * With in-season replenishment the monthly budget charges each launch's opening order to its
 * launch month and its planned reorders to the months they are ordered (issue 13 §1: "budget
 * (opening + planned reorders by month) stays binding").
 *
 * Weeks 2026-06-08..2026-07-27; every candidate launches on 2026-06-29 (week 3) with a 2-week
 * lead time and a 6-week coverage of 10 ± 3 units a week (fully correlated weeks). With a 1-week
 * review at 95% the opening covers weeks 0..2: 30 + 9 × 1.645 = 44.8 -> 45 units; the coverage
 * newsvendor quantity at the critical ratio 5/9 is 60 + 18 × 0.140 = 62.5 -> 63. The (R, S)
 * policy on expected demand reorders at its first reviews: 10 units in week 1 (2026-07-06, back
 * up to 44.8 after week 0's 10 sold) and 7 in week 2 (2026-07-13, the rest-of-season cap 41.7),
 * nothing later (position at the level; week 4's order would arrive after the season). The 18
 * planned reorder units follow those orders, all in July. At a unit cost of 5: 225 in June
 * (opening), 90 in July (planned reorders); 315 in all, which launch-month charging put in June.
 */
const WEEKS = ['2026-06-08', '2026-06-15', '2026-06-22', '2026-06-29', '2026-07-06', '2026-07-13', '2026-07-20', '2026-07-27'];

interface Opts {
  budget: Record<string, number>;
  replenishment?: boolean;
  mustLaunch?: boolean;
  prices?: number[];
  weeks?: string[];
  reviewWeeks?: number;
  moq?: number;
}

function scenario({ budget, replenishment = true, mustLaunch = false, prices = [10], weeks = WEEKS, reviewWeeks = 1, moq = 0 }: Opts): Scenario {
  return validateScenario({
    weeks,
    candidates: prices.map((price, i) => ({
      id: `c${i + 1}`,
      name: `Mug ${i + 1}`,
      category: 'home',
      group: `mugs${i + 1}`,
      price,
      unitCost: 5,
      salvageValue: 1,
      holdingCostPerWeek: 0,
      moq,
      leadTimeWeeks: 2,
      earliestWeek: 3,
      latestWeek: 3,
      ...(mustLaunch ? { mustLaunch: true } : {}),
      curve: { mean: new Array(6).fill(10), sd: new Array(6).fill(3) },
    })),
    demand: { horizonWeeks: 6, distribution: 'normal', weeklyCorrelation: 1, ...(replenishment ? { replenishment: { reviewWeeks, serviceLevel: 0.95 } } : {}) },
    rules: { monthlyBudget: Object.entries(budget).map(([month, amount]) => ({ month, amount })) },
  });
}

/** An option's spend in a month, from its split (options with planned reorders only). */
function spendIn(o: LaunchOption, month: string): number {
  return (o.spendByMonth ?? []).filter((e) => e.month === month).reduce((a, e) => a + e.opening + e.reorders, 0);
}

async function bothPlans(s: Scenario): Promise<[string, PlanResult][]> {
  return [
    ['milp', await planLaunches(s, { timeLimitSeconds: 20, gapTarget: 0 })],
    ['greedy', greedyPlan(s)],
  ];
}

describe('planned reorder units by order week', () => {
  // 8 weeks of 10 ± 3 (fully correlated), 2-week lead time, 95% service, capped at the 5/9
  // quantile of the rest of the season (the critical ratio, as buildModel passes it).
  const curve = { mean: new Array(8).fill(10), sd: new Array(8).fill(3) };
  const params = (reviewWeeks: number, moq = 0) =>
    validateReplenishmentParams({ leadTimeWeeks: 2, reviewWeeks, serviceLevel: 0.95, weeklyCorrelation: 1, moq, distribution: 'normal', seasonEndRatio: 5 / 9 });
  const sum = (xs: Float64Array) => xs.reduce((a, b) => a + b, 0);

  it("follows the (R, S) policy's orders on expected demand, from its first review, and sums to the reorder units", () => {
    const units = plannedReorderUnits(curve, 45, 40, params(1));
    // The first review (week 1) restores the level 44.8 after week 0's 10 sold: an order of 10,
    // before the opening's safety stock is used up (week-by-week uncovered demand ordered lead
    // time earlier started in week 2).
    expect(units[0]).toBe(0);
    expect(units[1]).toBeGreaterThan(0);
    expect(units[1]).toBeCloseTo(units[2], 9);
    expect(sum(units)).toBeCloseTo(40, 9);
    // No order arriving after the season (week 6 + 2 lead time = week 8).
    expect(units[6] + units[7]).toBe(0);
  });

  it('orders only in review weeks', () => {
    const units = plannedReorderUnits(curve, 60, 40, params(2));
    units.forEach((u, h) => {
      if (h % 2 === 1 || h === 0) expect(u, `week ${h}`).toBe(0);
    });
    expect(units[2]).toBeGreaterThan(0);
    expect(sum(units)).toBeCloseTo(40, 9);
  });

  it('buys an MOQ in one order at the first review that needs stock', () => {
    expect(Array.from(plannedReorderUnits(curve, 45, 40, params(1, 30)))).toEqual([0, 40, 0, 0, 0, 0, 0, 0]);
  });

  it('orders the upper tail for the last coverage week when the policy orders nothing on expected demand', () => {
    // An opening well above the season's 80: the position never falls below the level.
    expect(Array.from(plannedReorderUnits(curve, 100, 4, params(1)))).toEqual([0, 0, 0, 0, 0, 4, 0, 0]);
  });

  it('is empty without reorder units', () => {
    expect(Array.from(plannedReorderUnits(curve, 45, 0, params(1)))).toEqual(new Array(8).fill(0));
  });
});

describe('monthly budget: reorder months follow the policy', () => {
  it("charges a reorder at the launch's first review to the launch month when that review falls in it", () => {
    // The same launch a week earlier, on 2026-06-22: the first review, 2026-06-29, orders 10 of
    // the 17 units the policy reorders, so 10/17 of the 90 falls in June, not July.
    const early = ['2026-06-01', ...WEEKS.slice(0, 7)];
    const o = buildModel(scenario({ budget: { '2026-06': 1000 }, weeks: early })).options[0][0];
    expect(o.spendByMonth).toHaveLength(2);
    expect(o.spendByMonth![0].month).toBe('2026-06');
    expect(o.spendByMonth![0].opening).toBe(225);
    expect(o.spendByMonth![0].reorders).toBeCloseTo((90 * 10) / 17, 9);
    expect(o.spendByMonth![1].month).toBe('2026-07');
    expect(o.spendByMonth![1].reorders).toBeCloseTo((90 * 7) / 17, 9);
  });

  it('charges an MOQ reorder to the month of the review that places it', () => {
    // MOQ 60: the opening is 60 and the one reorder (3 units of the coverage quantity 63) goes
    // out at a review in July; with a 2-week review the same holds (reviews in weeks 2 and 4).
    for (const reviewWeeks of [1, 2]) {
      const o = buildModel(scenario({ budget: { '2026-06': 1000 }, moq: 60, reviewWeeks })).options[0][0];
      expect(o.opening?.qty, `R=${reviewWeeks}`).toBe(60);
      expect(o.spendByMonth, `R=${reviewWeeks}`).toEqual([
        { month: '2026-06', opening: 300, reorders: 0 },
        { month: '2026-07', opening: 0, reorders: 15 },
      ]);
    }
  });
});

describe('monthly budget with planned reorders', () => {
  it('charges the opening to the launch month and the reorders to July, summing to the coverage spend', () => {
    const m = buildModel(scenario({ budget: { '2026-06': 1000 } }));
    const o = m.options[0][0];
    expect(o.opening?.qty).toBe(45);
    expect(o.qty).toBe(63);
    expect(o.spendByMonth).toHaveLength(2);
    expect(o.spendByMonth![0]).toEqual({ month: '2026-06', opening: 225, reorders: 0 });
    expect(o.spendByMonth![1].month).toBe('2026-07');
    expect(o.spendByMonth![1].opening).toBe(0);
    expect(o.spendByMonth![1].reorders).toBeCloseTo(90, 9);
    expect(spendIn(o, '2026-06') + spendIn(o, '2026-07')).toBeCloseTo(o.spend, 9);
    expect(o.spend).toBe(315);
    // Without replenishment the one opening order is the whole coverage, in June.
    const plain = buildModel(scenario({ budget: { '2026-06': 1000 }, replenishment: false })).options[0][0];
    expect(plain.spendByMonth).toBeUndefined();
    expect(plain.spend).toBe(315);
  });

  it('launches within a June budget that fits the opening only (launch-month charging could not)', async () => {
    const s = scenario({ budget: { '2026-06': 250, '2026-07': 1000 } });
    for (const [name, plan] of await bothPlans(s)) {
      expect(plan.items.map((i) => i.candidateId), name).toEqual(['c1']);
      expect(plan.items[0].spendByMonth, name).toEqual([
        { month: '2026-06', opening: 225, reorders: 0 },
        { month: '2026-07', opening: 0, reorders: 90 },
      ]);
      const d = plan.items[0].rationale.drivers.find((x) => x.kind === 'replenishment');
      expect(d?.detail, name).toContain('spends 225 (opening) in 2026-06 + 90 (planned reorders) in 2026-07');
    }
    // The whole 315 in June, as one opening order: over the June budget.
    for (const [name, plan] of await bothPlans(scenario({ budget: { '2026-06': 250, '2026-07': 1000 }, replenishment: false }))) expect(plan.items, name).toEqual([]);
  });

  it("binds July's budget on the reorders, not June's", async () => {
    const s = scenario({ budget: { '2026-06': 1000, '2026-07': 80 } });
    for (const [name, plan] of await bothPlans(s)) {
      expect(plan.items, name).toEqual([]);
      expect(plan.notLaunched[0].reason, name).toContain('2026-07');
      expect(plan.notLaunched[0].reason, name).toContain('90 (planned reorders)');
    }
    // 90 fits a July budget of 90: launched.
    for (const [name, plan] of await bothPlans(scenario({ budget: { '2026-06': 1000, '2026-07': 90 } }))) expect(plan.items.length, name).toBe(1);
  });

  it('leaves reorders in a month without a budget unconstrained', async () => {
    for (const [name, plan] of await bothPlans(scenario({ budget: { '2026-06': 250 } }))) expect(plan.items.length, name).toBe(1);
  });

  it('turns a must-launch plan infeasible under launch-month charging feasible, and names July when July is short', async () => {
    const tightJune = { '2026-06': 250, '2026-07': 1000 };
    for (const [name, plan] of await bothPlans(scenario({ budget: tightJune, mustLaunch: true }))) {
      expect(plan.status, `${name}: ${plan.conflicts.map((c) => c.message).join('; ')}`).not.toBe('infeasible');
      expect(plan.items.length, name).toBe(1);
    }
    for (const [name, plan] of await bothPlans(scenario({ budget: tightJune, mustLaunch: true, replenishment: false }))) expect(plan.status, name).toBe('infeasible');

    const milp = await planLaunches(scenario({ budget: { '2026-06': 1000, '2026-07': 80 }, mustLaunch: true }), { timeLimitSeconds: 20, gapTarget: 0 });
    expect(milp.status).toBe('infeasible');
    expect(milp.conflicts.map((c) => c.rule)).toContain('budget');
    expect(milp.conflicts.find((c) => c.rule === 'budget')?.message).toMatch(/need 90 of opening stock and planned reorders in 2026-07 but the 2026-07 budget is 80/);
  });

  it('is checked month by month by the independent plan check', () => {
    const s = scenario({ budget: { '2026-06': 1000, '2026-07': 80 } });
    const m = buildModel(s);
    const v = checkPlan(m, [{ c: 0, w: 3, option: m.options[0][0] }]);
    expect(v).toEqual([{ rule: 'budget', detail: '2026-07 opening stock and planned reorders cost 90, budget 80' }]);
    expect(checkPlan(buildModel(scenario({ budget: { '2026-06': 225, '2026-07': 90 } })), [{ c: 0, w: 3, option: m.options[0][0] }])).toEqual([]);
  });

  it('MILP and greedy agree with the best subset when July fits the reorders of two launches out of three', async () => {
    const s = scenario({ budget: { '2026-06': 10_000, '2026-07': 0 }, prices: [10, 12, 14] });
    const m = buildModel(s);
    const opts = m.options.map((list) => list[0]);
    const july = opts.map((o) => spendIn(o, '2026-07'));
    // Room for the two largest July reorder spends, not for all three.
    const sorted = [...july].sort((a, b) => b - a);
    s.rules.monthlyBudget = [
      { month: '2026-06', amount: 10_000 },
      { month: '2026-07', amount: sorted[0] + sorted[1] + 0.5 },
    ];
    const best = { value: -Infinity, ids: [] as string[] };
    for (let mask = 0; mask < 8; mask++) {
      const chosen = opts.filter((_, i) => mask & (1 << i));
      if (chosen.reduce((a, o) => a + spendIn(o, '2026-07'), 0) > sorted[0] + sorted[1] + 0.5) continue;
      const value = chosen.reduce((a, o) => a + o.value, 0);
      if (value > best.value) Object.assign(best, { value, ids: chosen.map((o) => m.candidates[o.c].id) });
    }
    expect(best.ids).toHaveLength(2);
    // The Lagrangian prices July on the reorders: its bound holds the best plan and stays below
    // launching all three (what a relaxation blind to the reorders' month would allow).
    const mm = buildModel(s);
    const r = lagrangian(mm, { start: launchesOf(runGreedy(mm).state), deadlineSeconds: 5, gapTarget: 0 });
    expect(r.bound).toBeGreaterThanOrEqual(best.value - 1e-6);
    expect(r.bound).toBeLessThan(opts.reduce((a, o) => a + o.value, 0) - 1);
    expect(checkPlan(mm, r.plan)).toEqual([]);
    for (const [name, plan] of await bothPlans(s)) {
      expect(plan.status, name).not.toBe('infeasible');
      expect(plan.items.map((i) => i.candidateId).sort(), name).toEqual(best.ids.sort());
      expect(plan.objective.total, name).toBeCloseTo(best.value, 1);
    }
  });
});

describe("the stored plan's planned reorder spend", () => {
  it('sums the launches’ planned reorders per month into the draft summary, and leaves it out without them', async () => {
    const { planDraft } = await import('./draft.js');
    const s = scenario({ budget: { '2026-06': 1000, '2026-07': 1000 }, prices: [10, 10] });
    const plan = greedyPlan(s);
    expect(plan.items).toHaveLength(2);
    const summary = planDraft({ result: plan, skipped: [], reason: 'test', startWeek: WEEKS[0] }).summary;
    // Two launches of 90 each in July; their openings stay on the items (openingQty 45 each).
    expect(summary.plannedReorderSpend).toEqual([{ month: '2026-07', spend: 180 }]);
    expect(planDraft({ result: plan, skipped: [], reason: 'test', startWeek: WEEKS[0] }).items.map((i) => i.openingQty)).toEqual([45, 45]);
    const plain = greedyPlan(scenario({ budget: { '2026-06': 1000 }, replenishment: false }));
    expect(planDraft({ result: plain, skipped: [], reason: 'test', startWeek: WEEKS[0] }).summary).not.toHaveProperty('plannedReorderSpend');
  });
});
